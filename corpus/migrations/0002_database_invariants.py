"""Invariants Django's model layer cannot express, in plain SQL that core PostgreSQL runs.

No extension is used: pgserver's embedded PostgreSQL ships neither btree_gist nor pg_trgm.
"""

from django.db import migrations

SQL = r"""
-- Both ends of a span are segments of the translation's own document.
ALTER TABLE corpus_translation
    ADD CONSTRAINT translation_first_segment FOREIGN KEY (document_id, first_position)
        REFERENCES corpus_segment (document_id, position) DEFERRABLE INITIALLY IMMEDIATE,
    ADD CONSTRAINT translation_last_segment FOREIGN KEY (document_id, last_position)
        REFERENCES corpus_segment (document_id, position) DEFERRABLE INITIALLY IMMEDIATE;

-- One number per (document, language, position): document * 10^16 + language * 10^9 + position.
-- The language code (2-3 lowercase letters, enforced by a check) maps injectively below 128^3.
CREATE FUNCTION workbench_span_key(doc bigint, lang text, pos integer)
RETURNS numeric LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT doc::numeric * 10000000000000000
         + (ascii(substr(lang, 1, 1))
            + 128 * ascii(substr(lang || ' ', 2, 1))
            + 16384 * ascii(substr(lang || '  ', 3, 1)))::numeric * 1000000000
         + pos
$$;

-- Live spans of one (document, language) never overlap.
ALTER TABLE corpus_translation ADD CONSTRAINT translation_spans_do_not_overlap
    EXCLUDE USING gist (
        numrange(
            workbench_span_key(document_id, language, first_position),
            workbench_span_key(document_id, language, last_position),
            '[]'
        ) WITH &&
    ) WHERE (retired_at IS NULL);

-- Source segments are immutable once imported.
CREATE FUNCTION workbench_segment_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'source segments are immutable once imported (segment %)', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER segment_immutable BEFORE UPDATE ON corpus_segment
    FOR EACH ROW EXECUTE FUNCTION workbench_segment_immutable();

-- History is append-only.
CREATE FUNCTION workbench_revision_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'revisions are append-only' USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER revision_append_only BEFORE UPDATE ON corpus_revision
    FOR EACH ROW EXECUTE FUNCTION workbench_revision_append_only();
"""

REVERSE_SQL = r"""
DROP TRIGGER revision_append_only ON corpus_revision;
DROP FUNCTION workbench_revision_append_only();
DROP TRIGGER segment_immutable ON corpus_segment;
DROP FUNCTION workbench_segment_immutable();
ALTER TABLE corpus_translation DROP CONSTRAINT translation_spans_do_not_overlap;
DROP FUNCTION workbench_span_key(bigint, text, integer);
ALTER TABLE corpus_translation DROP CONSTRAINT translation_first_segment,
    DROP CONSTRAINT translation_last_segment;
"""


class Migration(migrations.Migration):
    dependencies = [("corpus", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
