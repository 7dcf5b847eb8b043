"""Word-level version diffs and stale amendments."""

from __future__ import annotations

import itertools
import random
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samenspraak.core import drafting
from samenspraak.core.drafting import (
    DiffSegment,
    FieldDiff,
    amendment_is_stale,
    diff_documents,
    diff_text,
    new_text,
    normalize_section,
    old_text,
    tokenize,
)

EQ, INS, DEL = "equal", "insert", "delete"


def kinds(segments):
    return [(s.kind, s.text) for s in segments]


# --- diff_text --------------------------------------------------------------------------


def test_identical_and_empty():
    assert diff_text("", "") == ()
    assert diff_text("Het plein.\n\nDe bomen.", "Het plein.\n\nDe bomen.") == (
        DiffSegment(EQ, "Het plein.\n\nDe bomen."),
    )


def test_from_or_to_empty():
    assert kinds(diff_text("", "Nieuwe tekst.")) == [(INS, "Nieuwe tekst.")]
    assert kinds(diff_text("Oude tekst.", "")) == [(DEL, "Oude tekst.")]


def test_one_word_replaced():
    assert kinds(diff_text("Het plein krijgt twee bomen.", "Het plein krijgt vier bomen.")) == [
        (EQ, "Het plein krijgt "),
        (DEL, "twee"),
        (INS, "vier"),
        (EQ, " bomen."),
    ]


def test_whole_words_not_letters():
    # A letter-level diff would keep "boom" and insert "en"; words are the unit.
    assert kinds(diff_text("een boom", "een bomen")) == [
        (EQ, "een "),
        (DEL, "boom"),
        (INS, "bomen"),
    ]


def test_paragraphs_and_newlines_are_kept():
    old = "Eerste alinea.\n\nTweede alinea."
    new = "Eerste alinea.\n\nEen nieuwe alinea.\n\nTweede alinea."
    segments = diff_text(old, new)
    assert kinds(segments) == [
        (EQ, "Eerste alinea.\n\n"),
        (INS, "Een nieuwe alinea.\n\n"),
        (EQ, "Tweede alinea."),
    ]


def test_change_across_several_words_is_one_delete_and_one_insert():
    # The spaces between changed words do not chop the change into word-sized pieces.
    segments = diff_text("We bouwen hier twee rijtjeshuizen.", "We bouwen hier vier grote flats.")
    assert kinds(segments) == [
        (EQ, "We bouwen hier "),
        (DEL, "twee rijtjeshuizen"),
        (INS, "vier grote flats"),
        (EQ, "."),
    ]


def test_punctuation_is_its_own_token():
    assert kinds(diff_text("Klaar.", "Klaar!")) == [(EQ, "Klaar"), (DEL, "."), (INS, "!")]
    assert tokenize("Wij, de buurt.") == ["Wij", ",", " ", "de", " ", "buurt", "."]


def test_accented_words_are_words():
    assert tokenize("café één") == ["café", " ", "één"]


# --- diff_documents ---------------------------------------------------------------------


def test_documents_field_order_and_changed_flag():
    old = {"title": "Plein", "summary": "Kort.", "risks": "Geen."}
    new = {"summary": "Kort en bondig.", "title": "Plein", "theme": "Groen"}
    result = diff_documents(old, new)
    assert [f.field for f in result] == ["summary", "title", "theme", "risks"]
    by_field = {f.field: f for f in result}
    assert by_field["title"] == FieldDiff("title", (DiffSegment(EQ, "Plein"),), False)
    assert by_field["summary"].changed
    assert new_text(by_field["summary"].segments) == "Kort en bondig."
    assert kinds(by_field["theme"].segments) == [(INS, "Groen")]
    assert kinds(by_field["risks"].segments) == [(DEL, "Geen.")]
    assert by_field["theme"].changed and by_field["risks"].changed


def test_empty_field_added_is_not_a_change():
    [field] = diff_documents({}, {"risks": ""})
    assert field == FieldDiff("risks", (), False)


def test_whitespace_change_is_a_change():
    [field] = diff_documents({"t": "a b"}, {"t": "a  b"})
    assert field.changed
    assert old_text(field.segments) == "a b"


# --- stale amendments -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "current", "stale"),
    [
        ("Het plein krijgt bomen.", "Het plein krijgt bomen.", False),
        ("Het plein krijgt bomen.", "Het plein krijgt  bomen. ", False),  # spacing
        ("Regel een\r\nregel twee", "Regel een\nregel twee", False),  # line endings
        ("Een.\n\nTwee.", "Een.\n\n\n\nTwee.", False),  # extra blank lines
        ("Een\ntwee", "Een twee", False),  # a line break inside a paragraph
        ("cafe\u0301", "caf\u00e9", False),  # the same letter, composed or not
        ("Het plein krijgt bomen.", "Het plein krijgt struiken.", True),
        ("Het plein krijgt bomen.", "Het plein krijgt bomen!", True),
        ("Een. Twee.", "Een.\n\nTwee.", True),  # a new paragraph break
        ("Bomen", "bomen", True),  # capitals are visible
        ("", "Nieuwe tekst", True),
    ],
)
def test_amendment_is_stale(base, current, stale):
    assert amendment_is_stale(base, current) is stale


def test_normalize_section():
    assert normalize_section("  Een\n twee \r\n\r\n  drie  ") == ("Een twee", "drie")
    assert normalize_section("\n \n") == ()


# --- properties -------------------------------------------------------------------------

# Small alphabets so that generated versions share words, with spaces and newlines.
words = st.sampled_from(["de", "het", "plein", "bomen", "één", "parkeren", ",", ".", "!", "a1"])
gaps = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", ""])
texts = st.lists(st.tuples(words, gaps), max_size=30).map(
    lambda pairs: "".join(w + g for w, g in pairs)
)
any_texts = st.one_of(texts, st.text(max_size=80))


@given(any_texts, any_texts)
def test_segments_rebuild_both_versions(old, new):
    segments = diff_text(old, new)
    assert new_text(segments) == new
    assert old_text(segments) == old


@given(any_texts, any_texts)
def test_segments_are_merged_and_never_empty(old, new):
    segments = diff_text(old, new)
    assert all(s.text for s in segments)
    for a, b in itertools.pairwise(segments):
        assert a.kind != b.kind
        assert (a.kind, b.kind) != (INS, DEL)  # within a change the deletion comes first


@pytest.mark.parametrize(("direct", "give_up"), [(0, 10**9), (0, 0), (10, 50)])
@given(old=any_texts, new=any_texts)
def test_anchor_splitting_and_fallbacks_rebuild_both_versions(direct, give_up, old, new):
    # Force the paths long texts take (patience anchors, difflib with white space as junk,
    # and giving up on a range) onto small generated texts.
    with (
        mock.patch.object(drafting, "_DIRECT_LIMIT", direct),
        mock.patch.object(drafting, "_GIVE_UP_LIMIT", give_up),
    ):
        segments = diff_text(old, new)
    assert new_text(segments) == new
    assert old_text(segments) == old
    assert all(s.text for s in segments)


def test_long_document_with_scattered_edits_finds_each_edit():
    rng = random.Random(7)
    vocab = [f"woord{i}" for i in range(2000)]
    old_words = rng.choices(vocab, weights=[1 / (i + 1) for i in range(2000)], k=5000)
    new_words = list(old_words)
    changed = sorted(rng.sample(range(5000), 40))
    for index in changed:
        new_words[index] = "NIEUW"
    old, new = " ".join(old_words), " ".join(new_words)
    segments = diff_text(old, new)
    assert new_text(segments) == new and old_text(segments) == old
    inserted = [s.text for s in segments if s.kind == INS]
    # Every edit is found as a small change, not as one big replaced block.
    assert sum(t.count("NIEUW") for t in inserted) == 40
    assert all(len(t.split()) <= 5 for t in inserted)


def test_repetitive_long_text_still_rebuilds():
    old, new = "a " * 3000, "a b " * 1500
    segments = diff_text(old, new)
    assert new_text(segments) == new and old_text(segments) == old


@given(any_texts)
def test_identical_text_is_one_equal_segment(text):
    assert diff_text(text, text) == ((DiffSegment(EQ, text),) if text else ())


@given(any_texts)
def test_tokens_rebuild_the_text(text):
    assert "".join(tokenize(text)) == text


@given(
    st.dictionaries(st.sampled_from("abcde"), texts),
    st.dictionaries(st.sampled_from("abcde"), texts),
)
def test_documents_rebuild_every_field(old, new):
    result = diff_documents(old, new)
    assert [f.field for f in result] == list(new) + [k for k in old if k not in new]
    for field in result:
        assert new_text(field.segments) == new.get(field.field, "")
        assert old_text(field.segments) == old.get(field.field, "")
        assert field.changed == (old.get(field.field, "") != new.get(field.field, ""))


@given(texts, texts)
def test_stale_iff_the_visible_words_differ(base, current):
    # Re-spacing never makes an amendment stale; a change in the words always does.
    respaced = "  " + base.replace(" ", "   ").replace("\t", " ") + "\n"
    assert not amendment_is_stale(base, respaced)
    if base.split() != current.split():
        assert amendment_is_stale(base, current)
