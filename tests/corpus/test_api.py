"""REST API behaviour: no lost update, list query counts that do not grow, filters, cursor pagination."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from corpus.models import Segment, Translation
from tests.factories import api_client as client_for
from tests.factories import assert_error, make_document, make_user
from translations import services

API = "/api/v1"
SEED_SEGMENTS = 215


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    return response.json()["results"]


def walk(client, url: str, params: dict | None = None) -> tuple[list[dict], int]:
    """Every row of a cursor-paginated list, following ``next``; also the number of pages."""
    rows, pages = [], 0
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        rows += body["results"]
        pages += 1
        if not body["next"]:
            return rows, pages
        assert pages < 1000
        response = client.get(body["next"])


# --- no lost update -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_clients_saving_from_the_same_version_lose_nothing(document, translator_en, editor):
    t = services.translation_create(
        document=document, language="en", first_position=1, text="original", actor=translator_en
    )
    url = f"{API}/translations/{t.pk}/"
    alice, bob = client_for(translator_en), client_for(editor)
    seen_by_alice = alice.get(url).json()
    seen_by_bob = bob.get(url).json()
    assert seen_by_alice["version"] == seen_by_bob["version"] == 1

    won = alice.patch(url, {"text": "Alice's text", "version": seen_by_alice["version"]}, format="json")
    assert won.status_code == 200
    assert (won.json()["text"], won.json()["version"]) == ("Alice's text", 2)

    lost = bob.patch(url, {"text": "Bob's text", "version": seen_by_bob["version"]}, format="json")
    assert lost.status_code == 409
    error = lost.json()["error"]
    assert error["code"] == "stale_version"
    current = error["detail"]["current"]
    assert current["text"] == "Alice's text"
    assert current["status"] == "draft"
    assert current["version"] == 2
    assert current["updated_by"] == translator_en.username
    stored = Translation.objects.get(pk=t.pk)
    assert (stored.text, stored.version) == ("Alice's text", 2), "the stale write was applied"

    # Bob keeps his text and saves it again on the version he was told about.
    resaved = bob.patch(url, {"text": "Bob's text", "version": current["version"]}, format="json")
    assert resaved.status_code == 200
    assert (resaved.json()["text"], resaved.json()["version"]) == ("Bob's text", 3)

    revisions = results(alice.get(url + "revisions/"))
    assert [(r["version"], r["text"], r["actor"]) for r in revisions] == [
        (3, "Bob's text", editor.username),
        (2, "Alice's text", translator_en.username),
        (1, "original", translator_en.username),
    ]


@pytest.mark.django_db
def test_stale_review_actions_are_refused_and_not_applied(document, translator_en, editor, editor2):
    t = services.translation_create(
        document=document, language="en", first_position=1, text="text", actor=translator_en
    )
    t = services.translation_submit(translation=t, version=1, actor=translator_en)
    url = f"{API}/translations/{t.pk}/"
    # The translator edits the submitted text while an editor has the old version on screen.
    edited = client_for(translator_en).patch(
        url, {"text": "better text", "version": t.version}, format="json"
    )
    assert edited.status_code == 200
    approve = client_for(editor2).post(url + "approve/", {"version": t.version}, format="json")
    assert approve.status_code == 409
    assert approve.json()["error"]["code"] == "stale_version"
    assert approve.json()["error"]["detail"]["current"]["text"] == "better text"
    assert Translation.objects.get(pk=t.pk).status == "submitted"


@pytest.mark.django_db
def test_saving_the_same_text_again_is_not_a_new_version(document, translator_en):
    t = services.translation_create(
        document=document, language="en", first_position=1, text="same", actor=translator_en
    )
    url = f"{API}/translations/{t.pk}/"
    response = client_for(translator_en).patch(url, {"text": "  same  ", "version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert Translation.objects.get(pk=t.pk).revisions.count() == 1


@pytest.mark.django_db
def test_create_then_workflow_through_the_api(document, translator_en, editor):
    tr, ed = client_for(translator_en), client_for(editor)
    created = tr.post(
        f"{API}/translations/",
        {
            "document": document.pk,
            "language": "en",
            "first_position": 1,
            "last_position": 2,
            "text": " Two. ",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["first_position"], body["last_position"], body["text"], body["status"]) == (
        1,
        2,
        "Two.",
        "draft",
    )
    url = f"{API}/translations/{body['id']}/"
    v = tr.post(url + "submit/", {"version": 1}, format="json").json()["version"]
    rejected = ed.post(url + "reject/", {"version": v, "reason": "Split it"}, format="json").json()
    assert (rejected["status"], rejected["comment"]) == ("rejected", "Split it")
    v = tr.patch(url, {"text": "Two sentences.", "version": rejected["version"]}, format="json").json()[
        "version"
    ]
    v = tr.post(url + "submit/", {"version": v}, format="json").json()["version"]
    approved = ed.post(url + "approve/", {"version": v}, format="json").json()
    assert approved["status"] == "approved"
    reopened = ed.post(
        url + "reopen/", {"version": approved["version"], "reason": "typo"}, format="json"
    ).json()
    assert (reopened["status"], reopened["version"]) == ("submitted", 7)
    actions = [r["action"] for r in results(tr.get(url + "revisions/"))]
    assert actions == ["reopen", "approve", "submit", "edit", "reject", "submit", "create"]
    # Both segments of the span show the translation inline.
    segments = results(tr.get(f"{API}/documents/{document.pk}/segments/"))
    inline = [s["translations"]["en"] and s["translations"]["en"]["id"] for s in segments]
    assert inline == [None, body["id"], body["id"]] + [None] * (len(segments) - 3)
    assert all(s["translations"]["ko"] is None for s in segments)


# --- query counts, page sizes, filters, cursor ----------------------------------------------------


@pytest.fixture
def translated_seed(seed, translator_en, translator_ko, editor):
    """The seed with about two thirds of it translated in each language, in every status."""
    now = timezone.now()
    covered_ko = set()
    for first, last in Translation.objects.filter(document=seed, language="ko").values_list(
        "first_position", "last_position"
    ):
        covered_ko.update(range(first, last + 1))
    statuses = ["draft", "submitted", "approved", "rejected"]
    rows = []
    for position in range(SEED_SEGMENTS):
        if position % 3 != 2:
            rows.append(
                Translation(
                    document=seed,
                    language="en",
                    first_position=position,
                    last_position=position,
                    text=f"English sentence {position}",
                    status=statuses[position % 4],
                    updated_at=now,
                    updated_by=translator_en,
                    author=translator_en,
                )
            )
        if position % 3 != 0 and position not in covered_ko:
            rows.append(
                Translation(
                    document=seed,
                    language="ko",
                    first_position=position,
                    last_position=position,
                    text=f"한국어 문장 {position}",
                    status=statuses[(position + 1) % 4],
                    updated_at=now,
                    updated_by=translator_ko if position % 2 else editor,
                    author=translator_ko,
                )
            )
    Translation.objects.bulk_create(rows)
    return seed


def count_queries(client, url: str, params: dict) -> tuple[int, list[dict]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    return len(captured.captured_queries), results(response)


@pytest.mark.django_db
def test_segments_page_costs_the_same_queries_whatever_its_size(
    translated_seed, editor, django_assert_max_num_queries
):
    client = client_for(editor)
    url = f"{API}/documents/{translated_seed.pk}/segments/"
    small, rows = count_queries(client, url, {"page_size": 10})
    assert len(rows) == 10
    with django_assert_max_num_queries(small):
        big = results(client.get(url, {"page_size": 500}))
    assert len(big) == SEED_SEGMENTS
    # session, user, the segments (their document's visibility included), their spans
    assert small <= 4, f"{small} queries for one page of segments"
    # The inline translations really are there (not a cheap page without them).
    assert sum(1 for s in big if s["translations"]["en"]) == sum(
        1 for p in range(SEED_SEGMENTS) if p % 3 != 2
    )
    assert all(s["translations"]["ko"] for s in big if s["position"] % 3 != 0)
    assert big[1]["translations"]["ko"]["updated_by"] == "tr_ko"


@pytest.mark.django_db
def test_filtered_segments_page_costs_the_same_queries(translated_seed, editor):
    client = client_for(editor)
    url = f"{API}/documents/{translated_seed.pk}/segments/"
    params = {"status_en": "draft,approved", "q_target": "문장"}
    small, _ = count_queries(client, url, {**params, "page_size": 2})
    big, rows = count_queries(client, url, {**params, "page_size": 500})
    assert len(rows) > 20
    assert big == small


@pytest.mark.django_db
def test_documents_list_costs_the_same_queries_for_one_or_many(seed, editor, django_assert_max_num_queries):
    client = client_for(editor)
    one, rows = count_queries(client, f"{API}/documents/", {})
    assert len(rows) == 1
    for _ in range(5):
        make_document()
    with django_assert_max_num_queries(one):
        rows = results(client.get(f"{API}/documents/"))
    assert len(rows) == 6
    seed_row = rows[0]
    assert seed_row["segments"] == SEED_SEGMENTS
    assert seed_row["languages"]["ko"]["segments"]["submitted"] >= 1
    assert seed_row["languages"]["en"]["untranslated_segments"] == SEED_SEGMENTS


@pytest.mark.django_db
def test_revisions_list_costs_the_same_queries_for_few_or_many(
    document, translator_en, editor, django_assert_max_num_queries
):
    t = services.translation_create(
        document=document, language="en", first_position=0, text="v1", actor=translator_en
    )
    client = client_for(editor)
    url = f"{API}/translations/{t.pk}/revisions/"
    few, rows = count_queries(client, url, {})
    assert len(rows) == 1
    for version in range(1, 21):
        actor = translator_en if version % 2 else editor
        t = services.translation_save(translation=t, text=f"v{version + 1}", version=version, actor=actor)
    with django_assert_max_num_queries(few):
        rows = results(client.get(url))
    assert [r["version"] for r in rows] == list(range(21, 0, -1))
    assert {r["actor"] for r in rows} == {translator_en.username, editor.username}


@pytest.mark.django_db
def test_translations_list_costs_the_same_queries(translated_seed, editor, django_assert_max_num_queries):
    client = client_for(editor)
    url = f"{API}/translations/"
    small, _ = count_queries(client, url, {"page_size": 5, "document": translated_seed.pk})
    with django_assert_max_num_queries(small):
        rows = results(client.get(url, {"page_size": 500, "document": translated_seed.pk}))
    assert len(rows) > 200


@pytest.mark.django_db
def test_page_size_has_a_hard_maximum(editor):
    text = "".join(f"这是第{i}句话。" + ("\n" if i % 7 == 6 else "") for i in range(620))
    big = make_document(text)
    assert Segment.objects.filter(document=big).count() == 620
    client = client_for(editor)
    response = client.get(f"{API}/documents/{big.pk}/segments/", {"page_size": 10000})
    rows = results(response)
    assert len(rows) == 500
    assert response.json()["next"]
    rows, pages = walk(client, f"{API}/documents/{big.pk}/segments/", {"page_size": 10000})
    assert [r["position"] for r in rows] == list(range(620))
    assert pages == 2


@pytest.mark.django_db
@pytest.mark.parametrize("page_size", [1, 7, 50, 100, 500])
def test_cursor_walks_the_whole_document_exactly_once(translated_seed, editor, page_size):
    if page_size == 1:
        # 215 requests; keep it, it is the sharpest edge of a cursor, but walk only the first 30.
        client = client_for(editor)
        url = f"{API}/documents/{translated_seed.pk}/segments/"
        response = client.get(url, {"page_size": 1})
        positions = []
        for _ in range(30):
            body = response.json()
            positions += [r["position"] for r in body["results"]]
            response = client.get(body["next"])
        assert positions == list(range(30))
        return
    rows, pages = walk(
        client_for(editor), f"{API}/documents/{translated_seed.pk}/segments/", {"page_size": page_size}
    )
    assert [r["position"] for r in rows] == list(range(SEED_SEGMENTS))
    assert pages == -(-SEED_SEGMENTS // page_size)
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids)


@pytest.mark.django_db
def test_cursor_can_walk_backwards(translated_seed, editor):
    client = client_for(editor)
    url = f"{API}/documents/{translated_seed.pk}/segments/"
    first = client.get(url, {"page_size": 40}).json()
    second = client.get(first["next"]).json()
    assert [r["position"] for r in second["results"]] == list(range(40, 80))
    back = client.get(second["previous"]).json()
    assert [r["position"] for r in back["results"]] == list(range(40))
    assert "page_size" in parse_qs(urlparse(second["next"]).query)


def expected_positions(seed, language: str, statuses: set[str]) -> list[int]:
    covering = {}
    for first, last, status in Translation.objects.filter(
        document=seed, language=language, retired_at__isnull=True
    ).values_list("first_position", "last_position", "status"):
        for position in range(first, last + 1):
            covering[position] = status
    return [p for p in range(SEED_SEGMENTS) if covering.get(p, "untranslated") in statuses]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "statuses"),
    [
        ("en", "untranslated"),
        ("ko", "submitted"),
        ("en", "approved,rejected"),
        ("ko", "untranslated,draft"),
    ],
)
def test_status_filters(translated_seed, editor, language, statuses):
    rows, _ = walk(
        client_for(editor),
        f"{API}/documents/{translated_seed.pk}/segments/",
        {f"status_{language}": statuses, "page_size": 500},
    )
    wanted = set(statuses.split(","))
    positions = [r["position"] for r in rows]
    assert positions == expected_positions(translated_seed, language, wanted)
    assert positions, "the filter case selects something"
    for row in rows:
        inline = row["translations"][language]
        assert (inline["status"] if inline else "untranslated") in wanted


@pytest.mark.django_db
def test_status_filters_combine_across_languages(translated_seed, editor):
    rows = results(
        client_for(editor).get(
            f"{API}/documents/{translated_seed.pk}/segments/",
            {"status_en": "untranslated", "status_ko": "submitted", "page_size": 500},
        )
    )
    en = set(expected_positions(translated_seed, "en", {"untranslated"}))
    ko = set(expected_positions(translated_seed, "ko", {"submitted"}))
    assert [r["position"] for r in rows] == sorted(en & ko)
    assert rows


@pytest.mark.django_db
def test_kind_and_text_filters(translated_seed, editor):
    client = client_for(editor)
    url = f"{API}/documents/{translated_seed.pk}/segments/"
    headings = results(client.get(url, {"kind": "heading", "page_size": 500}))
    assert len(headings) == 10
    assert [r["position"] for r in headings] == list(
        Segment.objects.filter(document=translated_seed, kind="heading").values_list("position", flat=True)
    )
    assert all(r["kind"] == "heading" for r in headings)

    needle = "合作"
    source = results(client.get(url, {"q": needle, "page_size": 500}))
    assert source and all(needle in r["text"] for r in source)
    assert len(source) == Segment.objects.filter(document=translated_seed, text__contains=needle).count()

    target = results(client.get(url, {"q_target": "sentence 4", "page_size": 500}))
    # "English sentence 4", "... 40".."49", "... 4x" etc. among en-translated positions.
    expected = [p for p in range(SEED_SEGMENTS) if p % 3 != 2 and "sentence 4" in f"English sentence {p}"]
    assert [r["position"] for r in target] == expected
    only_ko = results(client.get(url, {"q_target": "sentence 4", "target_language": "ko", "page_size": 500}))
    assert only_ko == []
    korean = results(client.get(url, {"q_target": "문장 10", "target_language": "ko", "page_size": 500}))
    assert [r["position"] for r in korean] == [
        p for p in range(SEED_SEGMENTS) if p % 3 and f"문장 {p}".startswith("문장 10")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status_en": "finished"}, "status_en"),
        ({"status_ko": "draft,nope"}, "status_ko"),
        ({"kind": "title"}, "kind"),
    ],
)
def test_unknown_filter_values_are_a_validation_error(document, editor, params, field):
    response = client_for(editor).get(f"{API}/documents/{document.pk}/segments/", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["detail"]["field"]) == ("validation_error", field)


@pytest.mark.django_db
def test_a_retired_translation_is_not_listed_or_writable(document, translator_en, editor):
    t = services.translation_create(
        document=document, language="en", first_position=1, text="old", actor=translator_en
    )
    Translation.objects.filter(pk=t.pk).update(retired_at=timezone.now())
    client = client_for(editor)
    segments = results(client.get(f"{API}/documents/{document.pk}/segments/"))
    assert segments[1]["translations"]["en"] is None
    response = client.patch(f"{API}/translations/{t.pk}/", {"text": "new", "version": 1}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    # Its history stays readable.
    assert [r["text"] for r in results(client.get(f"{API}/translations/{t.pk}/revisions/"))] == ["old"]


@pytest.mark.django_db
def test_me_reports_roles_and_languages(translator_ko, admin_user):
    me = client_for(translator_ko).get(f"{API}/me/").json()
    assert me == {"username": "tr_ko", "roles": ["translator"], "languages": ["ko"], "is_admin": False}
    me = client_for(admin_user).get(f"{API}/me/").json()
    assert me == {
        "username": "root",
        "roles": ["editor", "translator"],
        "languages": ["en", "ko"],
        "is_admin": True,
    }


@pytest.mark.django_db
def test_make_user_is_a_translator_in_every_language_without_a_limit():
    user = make_user("translator")
    me = client_for(user).get(f"{API}/me/").json()
    assert me["languages"] == ["en", "ko"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("segments", {"q": "a\x00b"}),
        ("segments", {"q_target": "\x00"}),
        ("translations", {"language": "\x00"}),
        ("translations", {"status": "\x00"}),
    ],
)
def test_a_nul_character_in_a_filter_is_a_validation_error_not_a_server_error(document, editor, path, params):
    """PostgreSQL cannot take NUL in a string: the API must refuse it (400), not crash (500)."""
    url = f"{API}/documents/{document.pk}/segments/" if path == "segments" else f"{API}/translations/"
    client = client_for(editor)
    client.raise_request_exception = False
    response = client.get(url, params)
    assert response.status_code == 400, (
        f"GET {url} with {params!r} answered {response.status_code}: a NUL reaches PostgreSQL "
        "(corpus/api/views.py: segment_filter_arguments / TranslationViewSet.get_queryset)"
    )
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.django_db
def test_an_empty_segments_page_is_empty_for_a_document_and_404_for_none(document, editor):
    """A page with rows needs no query of the document; an empty one asks whether it is there."""
    client = client_for(editor)
    url = f"{API}/documents/{document.pk}/segments/"
    assert results(client.get(url, {"q": "没有这句话"})) == []
    assert results(client.get(url, {"kind": "heading"}))  # the same document has rows
    missing = client.get(f"{API}/documents/{document.pk + 1000}/segments/", {"q": "没有这句话"})
    assert_error(missing, 404, "not_found")
