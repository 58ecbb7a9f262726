import pytest

from corpus.errors import ForbiddenAction, InvalidInput, InvalidTransition, StaleVersion
from corpus.models import Translation
from translations import services


@pytest.fixture
def draft(document, translator_en):
    return services.translation_create(
        document=document, language="en", first_position=0, text="Test title", actor=translator_en
    )


def actions(translation):
    return list(translation.revisions.order_by("id").values_list("action", "version", "text"))


@pytest.mark.django_db
def test_full_workflow_leaves_a_revision_for_every_change(draft, translator_en, editor):
    t = services.translation_save(translation=draft, text="The test title", version=1, actor=translator_en)
    t = services.translation_submit(translation=t, version=2, actor=translator_en)
    t = services.translation_reject(translation=t, version=3, reason="Capitalise it", actor=editor)
    assert (t.status, t.comment) == ("rejected", "Capitalise it")
    t = services.translation_save(translation=t, text="The Test Title", version=4, actor=translator_en)
    assert t.status == "draft"
    t = services.translation_submit(translation=t, version=5, actor=translator_en)
    t = services.translation_approve(translation=t, version=6, actor=editor)
    t = services.translation_reopen(translation=t, version=7, actor=editor)
    assert t.status == "submitted" and t.version == 8
    assert [a for a, _, _ in actions(t)] == [
        "create",
        "edit",
        "submit",
        "reject",
        "edit",
        "submit",
        "approve",
        "reopen",
    ]
    assert [v for _, v, _ in actions(t)] == list(range(1, 9))


@pytest.mark.django_db
def test_stale_write_is_refused_and_not_applied(draft, translator_en):
    services.translation_save(translation=draft, text="first writer", version=1, actor=translator_en)
    with pytest.raises(StaleVersion) as error:
        services.translation_save(translation=draft, text="second writer", version=1, actor=translator_en)
    assert error.value.detail["current"]["text"] == "first writer"
    assert error.value.detail["current"]["version"] == 2
    assert Translation.objects.get(pk=draft.pk).text == "first writer"


@pytest.mark.django_db
def test_translator_cannot_change_approved_text_or_review(draft, translator_en, editor):
    t = services.translation_submit(translation=draft, version=1, actor=translator_en)
    with pytest.raises(ForbiddenAction, match="Only editors review"):
        services.translation_approve(translation=t, version=2, actor=translator_en)
    t = services.translation_approve(translation=t, version=2, actor=editor)
    with pytest.raises(ForbiddenAction, match="Approved text can only be changed by an editor"):
        services.translation_save(translation=t, text="sneaky", version=3, actor=translator_en)
    t = services.translation_save(translation=t, text="Editor fix", version=3, actor=editor)
    assert t.status == "submitted"


@pytest.mark.django_db
def test_four_eyes_review(document, editor, editor2, settings):
    t = services.translation_create(
        document=document, language="ko", first_position=1, text="제목", actor=editor
    )
    t = services.translation_submit(translation=t, version=1, actor=editor)
    with pytest.raises(ForbiddenAction, match="Four-eyes"):
        services.translation_approve(translation=t, version=2, actor=editor)
    settings.WORKBENCH_ALLOW_SELF_APPROVAL = True
    editor._workbench_roles = None
    assert services.translation_approve(translation=t, version=2, actor=editor).status == "approved"


@pytest.mark.django_db
def test_four_eyes_second_editor_may_approve(document, editor, editor2):
    t = services.translation_create(
        document=document, language="ko", first_position=1, text="제목", actor=editor
    )
    t = services.translation_submit(translation=t, version=1, actor=editor)
    assert services.translation_approve(translation=t, version=2, actor=editor2).status == "approved"


@pytest.mark.django_db
def test_invalid_transitions_and_inputs(draft, translator_en, translator_ko, editor):
    with pytest.raises(InvalidTransition):
        services.translation_approve(translation=draft, version=1, actor=editor)
    with pytest.raises(InvalidTransition):
        services.translation_reopen(translation=draft, version=1, actor=editor)
    t = services.translation_submit(translation=draft, version=1, actor=translator_en)
    with pytest.raises(InvalidInput, match="needs a reason"):
        services.translation_reject(translation=t, version=2, reason="  ", actor=editor)
    with pytest.raises(InvalidTransition):
        services.translation_submit(translation=t, version=2, actor=translator_en)
    with pytest.raises(InvalidInput, match="is empty: nothing was saved"):
        services.translation_save(translation=t, text="", version=2, actor=translator_en)
    with pytest.raises(ForbiddenAction, match="do not work in the language 'en'"):
        services.translation_save(translation=t, text="x", version=2, actor=translator_ko)
    with pytest.raises(InvalidInput, match="Unknown target language 'fr'"):
        services.translation_create(
            document=draft.document, language="fr", first_position=3, text="x", actor=editor
        )
    assert Translation.objects.get(pk=t.pk).version == 2
