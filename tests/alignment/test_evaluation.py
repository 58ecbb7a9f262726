import pytest

from alignment.evaluation import (
    document_counts,
    document_triples,
    format_bead,
    parse_bead,
    parse_beads,
    score_documents,
)


def test_parse_and_format_beads():
    assert parse_bead("[0]:[0]") == ((0,), (0,))
    assert parse_bead("[8,9]:[8]") == ((8, 9), (8,))
    assert parse_bead("[18]:[16, 17]:0.93") == ((18,), (16, 17))
    assert parse_bead("[5]:[]") == ((5,), ())
    assert parse_bead("[]:[22]") == ((), (22,))
    assert parse_beads("[0]:[0]\n\n[1]:[1, 2]\n") == [((0,), (0,)), ((1,), (1, 2))]
    assert format_bead((0, 1), (0,), 0.934) == "[0, 1]:[0]:0.93"
    assert format_bead((), (3,)) == "[]:[3]"
    with pytest.raises(ValueError):
        parse_bead("0:0")


def test_perfect_alignment():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), ())]
    scores = score_documents([(gold, gold)])
    assert scores.strict_f1 == 1.0
    assert scores.lax_f1 == 1.0


def test_strict_versus_lax():
    gold = [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]
    test = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,))]
    precision, recall = document_counts(gold, test)
    # Precision: [0]:[0] and [2]:[3] strict; [1]:[1] lax only; []:[2] neither (no source id).
    assert (precision.tp_strict, precision.fp_strict) == (2, 2)
    assert (precision.tp_lax, precision.fp_lax) == (3, 1)
    # Recall over gold beads: [1]:[1,2] is not in the test beads, but test links 1-1 (lax).
    assert (recall.tp_strict, recall.fp_strict) == (2, 1)
    assert (recall.tp_lax, recall.fp_lax) == (3, 0)


def test_null_beads_count_in_precision_only():
    gold = [((0,), (0,)), ((1,), ())]
    test = [((0,), (0,)), ((1,), ()), ((), ())]  # the empty bead is dropped
    precision, recall = document_counts(gold, test)
    assert (precision.tp_strict, precision.fp_strict) == (2, 0)
    assert (recall.tp_strict, recall.fp_strict) == (1, 0)
    # A null test bead absent from the gold is a strict and a lax false positive.
    precision, _recall = document_counts([((0, 1), (0,))], [((0,), (0,)), ((1,), ())])
    assert (precision.tp_lax, precision.fp_lax) == (1, 1)


def test_duplicates_count_once():
    gold = [((0,), (0,))]
    precision, _recall = document_counts(gold, [((0,), (0,)), ((0,), (0,))])
    assert (precision.tp_strict, precision.fp_strict) == (1, 0)


def test_pooling_sums_counts_before_ratios():
    doc1 = ([((0,), (0,))], [((0,), (0,))])  # 1 of 1
    doc2 = (
        [((0,), (0,)), ((1,), (1,)), ((2,), (2,))],
        [((0, 1), (0, 1)), ((2,), (2,))],
    )  # precision 1 of 2, recall 1 of 3
    scores = score_documents([doc1, doc2])
    assert scores.strict_precision == pytest.approx(2 / 3)
    assert scores.strict_recall == pytest.approx(2 / 4)
    assert scores.strict_f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert scores.lax_precision == 1.0
    assert scores.lax_recall == 1.0


def test_empty_documents_score_zero():
    scores = score_documents([([], [])])
    assert scores.strict_f1 == 0.0


def test_document_triples_from_folders_and_files(tmp_path):
    for folder in ("src", "tgt", "gold"):
        (tmp_path / folder).mkdir()
        for name in ("a", "b"):
            (tmp_path / folder / name).write_text("x\n")
    (tmp_path / "src" / "only-src").write_text("x\n")
    names = [name for name, *_ in document_triples(tmp_path / "src", tmp_path / "tgt", tmp_path / "gold")]
    assert names == ["a", "b"]
    files = document_triples(tmp_path / "src" / "a", tmp_path / "tgt" / "a", tmp_path / "gold" / "a")
    assert len(files) == 1
    with pytest.raises(FileNotFoundError):
        document_triples(tmp_path / "nope", tmp_path / "tgt", tmp_path / "gold")
