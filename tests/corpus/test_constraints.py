"""The database itself refuses broken data, whatever code path writes it."""

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from corpus.errors import InvalidSpan
from corpus.models import Revision, Segment, Translation
from tests.factories import make_document
from translations.services import translation_create


def raw_translation(document, first, last, *, language="en", status="draft", text="x"):
    return Translation.objects.create(
        document=document,
        language=language,
        first_position=first,
        last_position=last,
        text=text,
        status=status,
        updated_at=timezone.now(),
    )


@pytest.mark.django_db
def test_overlapping_spans_are_refused_by_the_database(document):
    raw_translation(document, 0, 1)
    with pytest.raises(IntegrityError, match="translation_spans_do_not_overlap"), transaction.atomic():
        raw_translation(document, 1, 2)
    # other language and other documents are independent
    raw_translation(document, 1, 2, language="ko")
    other = make_document()
    raw_translation(other, 0, 1)


@pytest.mark.django_db
def test_retired_spans_do_not_block(document):
    old = raw_translation(document, 0, 1)
    old.retired_at = timezone.now()
    old.save(update_fields=["retired_at"])
    raw_translation(document, 0, 0)


@pytest.mark.django_db
def test_overlap_refused_by_the_service_with_a_clear_error(document, translator_en):
    translation_create(
        document=document, language="en", first_position=0, last_position=1, text="a", actor=translator_en
    )
    with pytest.raises(InvalidSpan, match=r"overlaps translation \d+ \(en, segments 0\.\.1\)"):
        translation_create(document=document, language="en", first_position=1, text="b", actor=translator_en)


@pytest.mark.django_db
def test_empty_approved_translation_is_refused(document):
    with pytest.raises(IntegrityError, match="translation_reviewed_not_empty"), transaction.atomic():
        raw_translation(document, 0, 0, status="approved", text="")
    with pytest.raises(IntegrityError, match="translation_reviewed_not_empty"), transaction.atomic():
        raw_translation(document, 0, 0, status="submitted", text="")
    raw_translation(document, 0, 0, status="draft", text="")


@pytest.mark.django_db
def test_span_across_documents_is_refused(document):
    other = make_document("标题\n一。二。三。四。五。六。七。\n")
    assert other.segments.count() > document.segments.count()
    last = other.segments.count() - 1
    with pytest.raises(IntegrityError, match="translation_last_segment"), transaction.atomic():
        raw_translation(document, 0, last)


@pytest.mark.django_db
def test_reversed_span_and_unknown_language_code_are_refused(document):
    with pytest.raises(IntegrityError, match="translation_span_ordered"), transaction.atomic():
        raw_translation(document, 2, 1)
    with pytest.raises(IntegrityError, match="translation_language_code"), transaction.atomic():
        raw_translation(document, 0, 0, language="EN")


@pytest.mark.django_db
def test_segments_are_immutable_and_history_append_only(document):
    segment = document.segments.first()
    with (
        pytest.raises((IntegrityError, InternalError, DatabaseError), match="immutable"),
        transaction.atomic(),
    ):
        Segment.objects.filter(pk=segment.pk).update(text="changed")
    translation = raw_translation(document, 0, 0)
    revision = Revision.objects.create(
        translation=translation,
        action="edit",
        text="x",
        status="draft",
        version=1,
        first_position=0,
        last_position=0,
    )
    with (
        pytest.raises((IntegrityError, InternalError, DatabaseError), match="append-only"),
        transaction.atomic(),
    ):
        Revision.objects.filter(pk=revision.pk).update(text="rewritten")
    assert connection.is_usable()
