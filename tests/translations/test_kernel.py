"""The write kernel's rules: the one transition table, offered actions that never fail, empty saves,
what an alignment may replace and how a replaced translation stays reachable, the imported Korean
line, and confirming error-level findings at approval."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from alignment import services as alignment
from corpus.errors import ForbiddenAction, InvalidInput, InvalidTransition
from corpus.models import AuditEvent, Revision, Translation
from corpus.selectors import history
from exchange import exports
from exchange.formats import units as format_units
from exchange.sources import document_import
from tests.factories import KOREAN_SOURCE, PUD, api_client, assert_error, make_document, make_user
from translations import kernel, services, workflow
from translations.kernel import UnacknowledgedFindings

Status = Translation.Status
Action = Revision.Action
N = 12


def gold(language: str) -> list[str]:
    return (PUD / f"{language}.txt").read_text(encoding="utf-8").splitlines()[:N]


@pytest.fixture
def pud(db):
    return make_document("\n".join(gold("zh")) + "\n")


def at_status(
    document, position: int, status: str, *, translator, editor, text: str = "A sentence."
) -> Translation:
    t = services.translation_create(
        document=document, language="en", first_position=position, text=text, actor=translator
    )
    if status in (Status.SUBMITTED, Status.APPROVED, Status.REJECTED):
        t = services.translation_submit(translation=t, version=t.version, actor=translator)
    if status == Status.APPROVED:
        t = services.translation_approve(
            translation=t, version=t.version, actor=editor, acknowledge_findings=True
        )
    if status == Status.REJECTED:
        t = services.translation_reject(translation=t, version=t.version, reason="Not yet.", actor=editor)
    return t


# --- the one table ------------------------------------------------------------------------------


def test_the_transition_table_is_the_documented_workflow():
    assert workflow.TRANSITIONS == {
        (Status.DRAFT, Action.EDIT): Status.DRAFT,
        (Status.REJECTED, Action.EDIT): Status.DRAFT,
        (Status.SUBMITTED, Action.EDIT): Status.SUBMITTED,
        (Status.APPROVED, Action.EDIT): Status.SUBMITTED,
        (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
        (Status.REJECTED, Action.SUBMIT): Status.SUBMITTED,
        (Status.SUBMITTED, Action.APPROVE): Status.APPROVED,
        (Status.SUBMITTED, Action.REJECT): Status.REJECTED,
        (Status.APPROVED, Action.REOPEN): Status.SUBMITTED,
    }
    assert set(workflow.STATUS_ORDER) == set(Status.values)
    # the pure format library repeats the values (it imports no Django): they must agree
    assert set(format_units.STATUSES) == set(workflow.STATUS_ORDER)
    assert frozenset(workflow.STATUS_ORDER) == exports.STATUSES


@pytest.mark.django_db
def test_the_database_refuses_a_status_outside_the_workflow(document, translator_en):
    t = services.translation_create(
        document=document, language="en", first_position=0, text="x", actor=translator_en
    )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE corpus_translation SET status = 'final' WHERE id = %s", [t.pk])


# --- offered actions never fail for permission ------------------------------------------------------


PARAMS = {
    Action.EDIT: {"text": "A changed sentence."},
    Action.REJECT: {"comment": "Please look again."},
    Action.APPROVE: {"acknowledge_findings": True},
}


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.REJECTED])
def test_an_offered_action_never_fails_and_one_not_offered_always_does(document, status):
    translator = make_user("translator", ["en"])
    author_editor = make_user("editor")
    other_editor = make_user("editor")
    korean = make_user("translator", ["ko"])
    t = at_status(document, 0, status, translator=translator, editor=other_editor)
    if status == Status.SUBMITTED:  # an editor's own version: four-eyes applies to them
        t = services.translation_save(
            translation=t, text="An editor's wording.", version=t.version, actor=author_editor
        )
    for user in (translator, author_editor, other_editor, korean):
        offered = workflow.offered_actions(user, Translation.objects.get(pk=t.pk))
        for action, allowed in offered.items():
            with transaction.atomic():
                current = Translation.objects.get(pk=t.pk)
                if allowed:
                    kernel.write(
                        current, action=action, version=current.version, actor=user, **PARAMS.get(action, {})
                    )
                else:
                    with pytest.raises((ForbiddenAction, InvalidTransition)):
                        kernel.write(
                            current,
                            action=action,
                            version=current.version,
                            actor=user,
                            **PARAMS.get(action, {}),
                        )
                transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_editor_cell_offers_what_the_workflow_allows(client, document):
    translator = make_user("translator", ["en"])
    editor = make_user("editor")
    t = at_status(document, 0, Status.APPROVED, translator=translator, editor=editor)
    client.force_login(translator)
    html = client.get(f"/documents/{document.pk}/cells/en/0/").content.decode()
    assert 'class="js-edit"' not in html and 'class="approve"' not in html and "/reopen/" not in html
    client.force_login(editor)
    html = client.get(f"/documents/{document.pk}/cells/en/0/").content.decode()
    assert 'class="js-edit"' in html and "/reopen/" in html
    assert t.pk


@pytest.mark.django_db
def test_translators_are_not_offered_fixes_of_approved_units(client, document):
    translator = make_user("translator", ["en"])
    editor = make_user("editor")
    at_status(document, 0, Status.APPROVED, translator=translator, editor=editor)
    at_status(document, 1, Status.DRAFT, translator=translator, editor=editor, text="One. Two.")
    client.force_login(translator)
    html = client.get(f"/documents/{document.pk}/alignment/?language=en").content.decode()
    assert "Merge with next" not in html  # the approved unit is first: no merge offered
    assert "First sentence → previous" not in html  # the draft's neighbour is approved
    client.force_login(editor)
    html = client.get(f"/documents/{document.pk}/alignment/?language=en").content.decode()
    assert "Merge with next" in html


# --- empty saves ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("blank", ["", "   ", "\n\t \n"])
def test_an_empty_save_changes_nothing(document, translator_en, blank):
    with pytest.raises(InvalidInput, match="empty"):
        services.translation_create(
            document=document, language="en", first_position=0, text=blank, actor=translator_en
        )
    t = services.translation_create(
        document=document, language="en", first_position=0, text="Kept text.", actor=translator_en
    )
    with pytest.raises(InvalidInput, match="empty"):
        services.translation_save(translation=t, text=blank, version=t.version, actor=translator_en)
    stored = Translation.objects.get(pk=t.pk)
    assert (stored.text, stored.version, stored.revisions.count()) == ("Kept text.", 1, 1)


# --- alignment apply: what it may replace, and history ---------------------------------------------------


@pytest.mark.django_db
def test_apply_keeps_a_submitted_translation_and_shows_it_as_kept(pud, translator_en, editor):
    en = gold("en")
    resubmitted = at_status(
        pud, 4, Status.REJECTED, translator=translator_en, editor=editor, text="An own wording."
    )
    resubmitted = services.translation_save(
        translation=resubmitted,
        text="An own wording, fixed.",
        version=resubmitted.version,
        actor=translator_en,
    )
    resubmitted = services.translation_submit(
        translation=resubmitted, version=resubmitted.version, actor=translator_en
    )
    approved = at_status(
        pud, 7, Status.APPROVED, translator=translator_en, editor=editor, text="Reviewed wording."
    )
    plan = alignment.alignment_plan(document=pud, language="en", text="\n".join(en))
    units = {u.first: u for u in plan.units if u.first is not None}
    assert units[4].standing.pk == resubmitted.pk and not units[4].is_untranslated
    assert units[7].standing.pk == approved.pk and not units[7].is_untranslated
    summary = plan.summary()
    assert summary["kept_submitted"] == 1 and summary["kept_approved"] == 1
    assert summary["untranslated_segments"] == 0
    result = alignment.alignment_apply(plan=plan, actor=translator_en)
    assert result["replaced_submitted"] == 0
    kept = Translation.objects.get(pk=resubmitted.pk)
    assert (
        kept.retired_at is None and kept.status == Status.SUBMITTED and kept.text == "An own wording, fixed."
    )
    assert Translation.objects.get(pk=approved.pk).retired_at is None


@pytest.mark.django_db
def test_replacing_a_submitted_translation_is_explicit_and_its_history_stays_reachable(
    pud, translator_en, editor
):
    en = gold("en")
    old = at_status(pud, 4, Status.REJECTED, translator=translator_en, editor=editor, text="An own wording.")
    old = services.translation_save(
        translation=old, text="An own wording, fixed.", version=old.version, actor=translator_en
    )
    old = services.translation_submit(translation=old, version=old.version, actor=translator_en)
    plan = alignment.alignment_plan(document=pud, language="en", text="\n".join(en), replace_submitted=True)
    assert plan.summary()["submitted_replaceable"] == 1
    result = alignment.alignment_apply(plan=plan, actor=translator_en)
    assert result["replaced_submitted"] == 1
    assert Translation.objects.get(pk=old.pk).retired_at is not None
    new = Translation.objects.get(document=pud, language="en", retired_at__isnull=True, first_position=4)
    assert new.replaces == [old.pk]
    lineage = list(history(new).values_list("translation_id", "action", "comment"))
    assert (old.pk, Action.REJECT, "Not yet.") in lineage
    assert [a for t, a, _ in lineage if t == old.pk] == [
        "retire",
        "submit",
        "edit",
        "reject",
        "submit",
        "create",
    ]
    # the API and the browser show the same lineage
    body = api_client(translator_en).get(f"/api/v1/translations/{new.pk}/revisions/?page_size=50").json()
    assert {r["comment"] for r in body["results"]} >= {"Not yet.", "replaced by an alignment"}
    client = api_client(translator_en)
    html = client.get(f"/translations/{new.pk}/history/").content.decode()
    assert "Not yet." in html and f"replaced #{old.pk}" in html


@pytest.mark.django_db
def test_the_paste_form_asks_before_replacing_submitted_translations(client, pud, translator_en, editor):
    at_status(pud, 4, Status.SUBMITTED, translator=translator_en, editor=editor)
    client.force_login(translator_en)
    html = client.post(
        f"/documents/{pud.pk}/alignment/paste/",
        {"language": "en", "text": "\n".join(gold("en")), "mode": "preview"},
    ).content.decode()
    assert 'data-confirm="This also replaces 1 submitted en translation' in html


@pytest.mark.django_db
def test_merge_and_split_name_what_they_replaced(document, translator_en):
    a = services.translation_create(
        document=document, language="en", first_position=1, text="One.", actor=translator_en
    )
    b = services.translation_create(
        document=document, language="en", first_position=2, text="Two.", actor=translator_en
    )
    merged = alignment.translation_merge(
        first=a, second=b, first_version=1, second_version=1, actor=translator_en
    )
    assert sorted(merged.replaces) == sorted([a.pk, b.pk])
    head, tail = alignment.translation_split(
        translation=merged, version=merged.version, sentences_first=1, source_split=2, actor=translator_en
    )
    assert head.replaces == [merged.pk] and tail.replaces == [merged.pk]
    assert {a.pk, b.pk, merged.pk, head.pk} <= set(history(head).values_list("translation_id", flat=True))


# --- the Korean line of an imported source ---------------------------------------------------------


@pytest.mark.django_db
def test_the_seed_korean_line_is_written_by_nobody():
    result = document_import(data=KOREAN_SOURCE, file_name="seed.txt")
    (ko,) = Translation.objects.filter(document=result.document, language="ko")
    assert ko.status == Status.SUBMITTED and ko.author is None
    assert ko.revisions.get().action == Action.IMPORT
    assert AuditEvent.objects.filter(action="source.import", target_id=result.document.pk).exists()


# --- approving error-level findings ----------------------------------------------------------------


@pytest.mark.django_db
def test_approving_error_findings_needs_acknowledgement(translator_en, editor):
    document = make_document("标题\n他在2009年来到北京。\n")
    t = services.translation_create(
        document=document,
        language="en",
        first_position=1,
        text="He came to Beijing in 2010.",
        actor=translator_en,
    )
    t = services.translation_submit(translation=t, version=t.version, actor=translator_en)
    assert any(f["severity"] == "error" for f in t.findings)
    with pytest.raises(UnacknowledgedFindings):
        services.translation_approve(translation=t, version=t.version, actor=editor)
    client = api_client(editor)
    error = assert_error(
        client.post(f"/api/v1/translations/{t.pk}/approve/", {"version": t.version}),
        409,
        "unacknowledged_findings",
    )
    assert [f["code"] for f in error["detail"]["findings"]] == ["numbers"]
    assert Translation.objects.get(pk=t.pk).status == Status.SUBMITTED
    ok = client.post(
        f"/api/v1/translations/{t.pk}/approve/", {"version": t.version, "acknowledge_findings": True}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "approved"


@pytest.mark.django_db
def test_the_browser_approve_button_confirms_error_findings(client, translator_en, editor):
    document = make_document("标题\n他在2009年来到北京。\n")
    t = services.translation_create(
        document=document,
        language="en",
        first_position=1,
        text="He came to Beijing in 2010.",
        actor=translator_en,
    )
    services.translation_submit(translation=t, version=t.version, actor=translator_en)
    client.force_login(editor)
    html = client.get(f"/documents/{document.pk}/cells/en/1/").content.decode()
    assert "hx-confirm=" in html and "Approve it anyway?" in html and "acknowledge_findings" in html


# --- the audit trail of other writes -----------------------------------------------------------------


@pytest.mark.django_db
def test_glossary_tokens_and_memory_imports_leave_audit_rows(editor):
    from corpus.tokens import token_create, token_revoke
    from exchange.memory_io import memory_import_tmx
    from memory.glossary import term_save

    term = term_save(actor=editor, language="en", source="多边合作", target="multilateral cooperation")
    token, _key = token_create(user=editor, name="nightly")
    token_revoke(user=editor, token_id=token.pk)
    tmx = (
        b'<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="zh" datatype="plaintext"'
        b' segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" creationtoolversion="1"/><body>'
        b'<tu><tuv xml:lang="zh"><seg>\xe4\xbd\xa0\xe5\xa5\xbd</seg></tuv><tuv xml:lang="en"><seg>Hello</seg></tuv></tu>'
        b"</body></tmx>"
    )
    assert memory_import_tmx(data=tmx, language="en", actor=editor) == 1
    events = list(AuditEvent.objects.order_by("id").values_list("action", "target_id", "actor_id"))
    assert events == [
        ("glossary.save", term.pk, editor.pk),
        ("token.create", token.pk, editor.pk),
        ("token.revoke", token.pk, editor.pk),
        ("memory.import", None, editor.pk),
    ]
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE corpus_auditevent SET action = 'x'")
