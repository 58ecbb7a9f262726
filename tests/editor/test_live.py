"""The live document's poll: changes since a cursor, the regions to re-render, presence, its cost.

These tests commit (``transactional_db``): a change is seen by a cursor only once its transaction
has committed, as in production.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corpus.models import Presence
from editor import live
from exchange.exports import decode_cursor
from tests.factories import make_document, make_user, seed_document
from translations import services

pytestmark = pytest.mark.usefixtures("transactional_db")

TAB_A = "tabAAAAAAAAAAAA1"
TAB_B = "tabBBBBBBBBBBBB2"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def poll(client, document, tab, cursor="", **extra):
    response = client.post(
        reverse("editor:live", args=[document.pk]), {"tab": tab, "cursor": cursor, **extra}
    )
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_a_save_by_someone_else_is_in_the_next_poll_once():
    document = make_document()
    tina, mina = make_user("translator", ["en"]), make_user("translator", ["en"])
    first = poll(client_for(mina), document, TAB_B)
    assert first["changes"] == [] and first["regions"] == []

    services.translation_create(document=document, language="en", first_position=1, text="Hello.", actor=tina)
    data = poll(client_for(mina), document, TAB_B, first["cursor"])
    assert [(c["language"], c["first"], c["last"], c["live"], c["by"]) for c in data["changes"]] == [
        ("en", 1, 1, True, tina.username)
    ]
    assert data["regions"] == [[1, 1]]
    # the new cursor has seen it
    assert poll(client_for(mina), document, TAB_B, data["cursor"])["changes"] == []


def test_regions_widen_to_whole_spans_at_their_ends():
    document = make_document()
    tina = make_user("editor")
    # a Korean span over segments 0-2; an English save on segment 2 re-renders rows 0-2
    services.translation_create(
        document=document, language="ko", first_position=0, last_position=2, text="한 줄.", actor=tina
    )
    cursor = decode_cursor(live.cursor_now())
    services.translation_create(document=document, language="en", first_position=2, text="Hi.", actor=tina)
    _, changes = live.changes_since(document.pk, cursor)
    assert [(c["language"], c["first"]) for c in changes] == [("en", 2)]
    assert live.regions(document.pk, changes) == [(0, 2)]


def test_merge_joins_touching_intervals():
    assert live.merge([(5, 6), (0, 1), (2, 2), (9, 9)]) == [(0, 2), (5, 6), (9, 9)]


def test_poll_costs_the_same_few_queries_on_a_big_document_with_many_changes():
    small, big = make_document(), seed_document()
    tina, mina = make_user("translator", ["en"]), make_user("translator", ["en"])
    client = client_for(mina)
    counts = []
    for document, saves in ((small, 1), (big, 20)):
        cursor = poll(client, document, TAB_B)["cursor"]
        for position in range(saves):
            services.translation_create(
                document=document,
                language="en",
                first_position=position,
                text=f"Text {position}.",
                actor=tina,
            )
        with CaptureQueriesContext(connection) as queries:
            data = poll(client, document, TAB_B, cursor)
        assert len(data["changes"]) == saves
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8, counts


def test_an_idle_poll_is_cheaper_still():
    document = make_document()
    client = client_for(make_user("translator", ["en"]))
    cursor = poll(client, document, TAB_B)["cursor"]
    with CaptureQueriesContext(connection) as queries:
        poll(client, document, TAB_B, cursor)
    # session, user, document, presence upsert, changes+cursor, presence read
    assert len(queries) <= 6, [q["sql"][:80] for q in queries]


def test_presence_shows_who_edits_which_cell_and_expires():
    document = make_document()
    tina, mina = make_user("translator", ["en"]), make_user("translator", ["en"])
    poll(client_for(tina), document, TAB_A, language="en", position="1")
    others = poll(client_for(mina), document, TAB_B)["present"]
    assert others == [{"user": tina.username, "language": "en", "position": 1, "me": False}]
    # tina's own tab does not list itself
    assert poll(client_for(tina), document, TAB_A, language="en", position="1")["present"] == [
        {"user": mina.username, "language": "", "position": None, "me": False}
    ]
    # a tab that stops polling expires (here: its clock is set back past the TTL) and is swept
    Presence.objects.filter(tab=TAB_A).update(
        seen_at=Presence.objects.get(tab=TAB_A).seen_at.replace(year=2000)
    )
    assert poll(client_for(mina), document, TAB_B)["present"] == []
    assert not Presence.objects.filter(tab=TAB_A).exists()


def test_leave_removes_the_tab_at_once_and_only_ones_own():
    document = make_document()
    tina, mina = make_user("translator", ["en"]), make_user("translator", ["en"])
    poll(client_for(tina), document, TAB_A, language="en", position="0")
    client_for(mina).post(reverse("editor:live-leave", args=[document.pk]), {"tab": TAB_A})
    assert Presence.objects.filter(tab=TAB_A).exists()
    client_for(tina).post(reverse("editor:live-leave", args=[document.pk]), {"tab": TAB_A})
    assert not Presence.objects.filter(tab=TAB_A).exists()


def test_a_tab_id_is_not_taken_over_by_another_user():
    document = make_document()
    tina, mina = make_user("translator", ["en"]), make_user("translator", ["en"])
    poll(client_for(tina), document, TAB_A, language="en", position="0")
    poll(client_for(mina), document, TAB_A, language="en", position="2")
    row = Presence.objects.get(tab=TAB_A)
    assert (row.user_id, row.position) == (tina.pk, 0)


def test_the_poll_needs_a_tab_a_login_and_a_visible_document():
    document = make_document()
    url = reverse("editor:live", args=[document.pk])
    assert Client().post(url, {"tab": TAB_A}).status_code in (302, 403)
    client = client_for(make_user("translator", ["en"]))
    assert client.post(url, {"tab": "x"}).status_code == 400
    assert client.post(reverse("editor:live", args=[document.pk + 999]), {"tab": TAB_A}).status_code == 404
    # a damaged cursor starts afresh instead of failing
    assert client.post(url, {"tab": TAB_A, "cursor": "nonsense"}).status_code == 200


def test_rows_until_renders_just_a_region(client):
    document = make_document()
    client.force_login(make_user("translator", ["en"]))
    html = client.get(reverse("editor:editor-rows", args=[document.pk]) + "?after=0&until=1").content.decode()
    assert 'data-position="1"' in html and 'data-position="2"' not in html and 'data-position="0"' not in html


def test_compare_shows_the_newer_version_beside_the_typed_text_and_names_who(client):
    document = make_document()
    tina, mina = make_user("translator", ["en"]), make_user("translator", ["en"])
    services.translation_create(
        document=document, language="en", first_position=1, text="Tina's.", actor=tina
    )
    client.force_login(mina)
    url = reverse("editor:cell-compare", args=[document.pk, "en", 1])
    html = client.post(url, {"text": "Mina's typing"}).content.decode()
    assert (
        f"{tina.username} saved this first" in html
        and "Tina&#x27;s." in html
        and "Mina&#x27;s typing" in html
    )
    client.force_login(tina)
    html = client.post(url, {"text": "other tab"}).content.decode()
    assert "You saved this in another tab first" in html


def test_a_stale_review_names_who_changed_it_or_says_it_was_you(client):
    document = make_document()
    tina, eddie = make_user("translator", ["en"]), make_user("editor")
    t = services.translation_create(
        document=document, language="en", first_position=1, text="One.", actor=tina, submit=True
    )
    url = reverse("editor:cell-action", args=[document.pk, "en", 1, "approve"])
    services.translation_save(translation=t, text="One, again.", version=t.version, actor=tina)
    client.force_login(eddie)
    html = client.post(url, {"version": t.version, "acknowledge_findings": "1"}).content.decode()
    assert f"{tina.username} changed this meanwhile" in html
    client.force_login(tina)
    submit = reverse("editor:cell-action", args=[document.pk, "en", 1, "submit"])
    html = client.post(submit, {"version": t.version}).content.decode()
    assert "You changed this in another tab meanwhile" in html
