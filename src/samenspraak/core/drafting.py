"""Readable differences between two versions of a document, and stale amendments.

``diff_text`` compares two texts word by word (with difflib from the standard library) and
returns segments that are equal, inserted or deleted. White space and newlines stay inside
the segments, so joining the equal and inserted segments gives the new text back exactly,
and joining the equal and deleted segments gives the old text back: a page can render
paragraphs as they were. See docs/methods/version-diff.md.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

SegmentKind = Literal["equal", "insert", "delete"]

# A token is a word (letters, digits, underscore), a run of white space, or one other
# character (punctuation, a symbol). Joining the tokens always gives the text back.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class DiffSegment:
    kind: SegmentKind
    text: str


@dataclass(frozen=True)
class FieldDiff:
    field: str
    segments: tuple[DiffSegment, ...]
    changed: bool


def tokenize(text: str) -> list[str]:
    """Words, white-space runs and single punctuation characters; ``"".join`` restores text."""
    return _TOKEN.findall(text)


def new_text(segments: Iterable[DiffSegment]) -> str:
    """The new version: the equal and inserted segments joined."""
    return "".join(s.text for s in segments if s.kind != "delete")


def old_text(segments: Iterable[DiffSegment]) -> str:
    """The old version: the equal and deleted segments joined."""
    return "".join(s.text for s in segments if s.kind != "insert")


_Block = tuple[SegmentKind, list[str]]


# difflib's matcher looks at every pair of equal tokens, which is quadratic in long texts
# full of common words; above this many token pairs a range is first split at anchors.
_DIRECT_LIMIT = 40_000
_ANCHOR_SIZES = (1, 4, 16)
_GIVE_UP_LIMIT = 200_000


def _unique_anchors(
    old: Sequence[str], new: Sequence[str], alo: int, ahi: int, blo: int, bhi: int, k: int
) -> list[tuple[int, int]]:
    """Patience anchors: runs of ``k`` tokens (not only white space) that occur exactly once
    in both ranges, keeping the longest chain in the same order on both sides, without
    overlaps. Returns the start of each run in ``old`` and ``new``."""
    count_a: dict[tuple[str, ...], int] = {}
    pos_a: dict[tuple[str, ...], int] = {}
    for i in range(alo, ahi - k + 1):
        key = tuple(old[i : i + k])
        count_a[key] = count_a.get(key, 0) + 1
        pos_a[key] = i
    count_b: dict[tuple[str, ...], int] = {}
    pos_b: dict[tuple[str, ...], int] = {}
    for j in range(blo, bhi - k + 1):
        key = tuple(new[j : j + k])
        count_b[key] = count_b.get(key, 0) + 1
        pos_b[key] = j
    pairs = sorted(
        (pos_a[key], pos_b[key])
        for key, n in count_a.items()
        if n == 1 and count_b.get(key) == 1 and not all(t.isspace() for t in key)
    )
    # Longest increasing subsequence of the positions in ``new`` (patience sorting).
    tails: list[int] = []  # tails[n]: index into pairs of the smallest tail of a chain of n+1
    previous: list[int] = [-1] * len(pairs)
    tail_values: list[int] = []
    for index, (_, j) in enumerate(pairs):
        slot = bisect.bisect_left(tail_values, j)
        previous[index] = tails[slot - 1] if slot else -1
        if slot == len(tails):
            tails.append(index)
            tail_values.append(j)
        else:
            tails[slot] = index
            tail_values[slot] = j
    anchors: list[tuple[int, int]] = []
    index = tails[-1] if tails else -1
    while index >= 0:
        anchors.append(pairs[index])
        index = previous[index]
    anchors.reverse()
    if k == 1:
        return anchors
    apart: list[tuple[int, int]] = []
    for i, j in anchors:
        if not apart or (i >= apart[-1][0] + k and j >= apart[-1][1] + k):
            apart.append((i, j))
    return apart


def _anchors(
    old: Sequence[str], new: Sequence[str], alo: int, ahi: int, blo: int, bhi: int
) -> tuple[int, list[tuple[int, int]]]:
    """Single tokens first; in a text of few, often repeated words, longer runs of tokens."""
    for k in _ANCHOR_SIZES:
        anchors = _unique_anchors(old, new, alo, ahi, blo, bhi, k)
        if anchors:
            return k, anchors
    return 0, []


def _matching_blocks(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int, int]]:
    """Equal runs (i, j, size) in order: difflib on small ranges, patience anchors to split
    large ones, difflib with white space as junk when a large range has no anchor."""
    found: list[tuple[int, int, int]] = []
    stack = [(0, len(old), 0, len(new))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        # Common prefix and suffix are equal as they stand.
        while alo < ahi and blo < bhi and old[alo] == new[blo]:
            found.append((alo, blo, 1))
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and old[ahi - 1] == new[bhi - 1]:
            found.append((ahi - 1, bhi - 1, 1))
            ahi, bhi = ahi - 1, bhi - 1
        if alo == ahi or blo == bhi:
            continue
        large = (ahi - alo) * (bhi - blo) > _DIRECT_LIMIT
        k, anchors = _anchors(old, new, alo, ahi, blo, bhi) if large else (0, [])
        if anchors:
            start_a, start_b = alo, blo
            for i, j in anchors:
                stack.append((start_a, i, start_b, j))
                found.append((i, j, k))
                start_a, start_b = i + k, j + k
            stack.append((start_a, ahi, start_b, bhi))
            continue
        if (ahi - alo) * (bhi - blo) > _GIVE_UP_LIMIT:
            continue  # no anchor in a huge range of repeated words: shown as replaced whole
        junk = str.isspace if large else None
        matcher = difflib.SequenceMatcher(junk, old[alo:ahi], new[blo:bhi], autojunk=False)
        found.extend((alo + i, blo + j, n) for i, j, n in matcher.get_matching_blocks() if n)
    found.sort()
    merged: list[tuple[int, int, int]] = []
    for i, j, n in found:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + n)
        else:
            merged.append((i, j, n))
    return merged


def _blocks(old: Sequence[str], new: Sequence[str]) -> list[_Block]:
    """Token blocks of equal, deleted and inserted text; a replacement is delete + insert."""
    blocks: list[_Block] = []
    i = j = 0
    for bi, bj, size in [*_matching_blocks(old, new), (len(old), len(new), 0)]:
        if i < bi:
            blocks.append(("delete", list(old[i:bi])))
        if j < bj:
            blocks.append(("insert", list(new[j:bj])))
        if size:
            blocks.append(("equal", list(old[bi : bi + size])))
        i, j = bi + size, bj + size
    return blocks


def _boundary_score(left: str | None, right: str | None) -> float:
    """How natural a place between two tokens is for an edit to start or end.

    The edges of the text are best, then a blank line, a line break, a space; a boundary
    just after white space (where a word starts) gets half a point more, so an inserted
    word comes with its trailing space: "de " + "grote " + "bomen".
    """
    if left is None or right is None:
        return 6.0
    space = left if left.isspace() else right if right.isspace() else ""
    score = 0.0
    if space.count("\n") >= 2:
        score = 5.0
    elif "\n" in space:
        score = 4.0
    elif space:
        score = 2.0
    elif not (left[-1].isalnum() and right[0].isalnum()):
        score = 1.0
    return score + (0.5 if left.isspace() else 0.0)


def _best_shift(
    before: list[str], edit: list[str], after: list[str], outer: tuple[str | None, str | None]
) -> int:
    """How far a pure insertion or deletion between two equal runs should move.

    The edit can move left by as many tokens as its end repeats the end of ``before``, and
    right by as many as its start repeats the start of ``after``; every position gives the
    same two texts. The position whose two boundaries score best wins (the leftmost on a
    tie). ``outer`` are the tokens just outside ``before`` and ``after`` (None at the edge
    of the text), used when the edit moves all the way to one side.
    """
    left = 0
    while left < len(before) and left < len(edit) and before[-1 - left] == edit[-1 - left]:
        left += 1
    right = 0
    while right < len(after) and right < len(edit) and after[right] == edit[right]:
        right += 1
    if not left and not right:
        return 0
    whole = before + edit + after

    def token(index: int) -> str | None:
        if index < 0:
            return outer[0]
        if index >= len(whole):
            return outer[1]
        return whole[index]

    best_shift, best_score = 0, -1.0
    for shift in range(-left, right + 1):
        start = len(before) + shift
        end = start + len(edit)
        score = _boundary_score(token(start - 1), token(start)) + _boundary_score(
            token(end - 1), token(end)
        )
        if score > best_score:
            best_shift, best_score = shift, score
    return best_shift


def _shift_edits(blocks: list[_Block]) -> list[_Block]:
    """Move each pure insertion or deletion to the most natural place it can equally be."""
    blocks = [("equal", []), *blocks, ("equal", [])]  # every edit gets equal neighbours
    for k in range(1, len(blocks) - 1):
        kind, edit = blocks[k]
        if kind == "equal" or blocks[k - 1][0] != "equal" or blocks[k + 1][0] != "equal":
            continue
        before, after = blocks[k - 1][1], blocks[k + 1][1]
        outer = (
            blocks[k - 2][1][-1] if k >= 2 and blocks[k - 2][1] else None,
            blocks[k + 2][1][0] if k + 2 < len(blocks) and blocks[k + 2][1] else None,
        )
        shift = _best_shift(before, edit, after, outer)
        if shift:
            whole = before + edit + after
            start = len(before) + shift
            end = start + len(edit)
            blocks[k - 1] = ("equal", whole[:start])
            blocks[k] = (kind, whole[start:end])
            blocks[k + 1] = ("equal", whole[end:])
    return blocks


def _raw_segments(old: Sequence[str], new: Sequence[str]) -> list[DiffSegment]:
    return [
        DiffSegment(kind, "".join(tokens))
        for kind, tokens in _shift_edits(_blocks(old, new))
        if tokens
    ]


def _is_glue(segment: DiffSegment) -> bool:
    """An equal piece too small to be worth showing between two changes: only white space
    or punctuation, which would otherwise chop a changed sentence into word-sized pieces."""
    return segment.kind == "equal" and not any(ch.isalnum() for ch in segment.text)


def _tidy(segments: list[DiffSegment]) -> tuple[DiffSegment, ...]:
    """Fold glue between changes into the change; per change: one delete, then one insert."""
    result: list[DiffSegment] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            result.append(DiffSegment("delete", "".join(deleted)))
        if inserted:
            result.append(DiffSegment("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    in_change = False
    for index, segment in enumerate(segments):
        if not segment.text:
            continue
        if segment.kind == "equal":
            next_changes = index + 1 < len(segments) and segments[index + 1].kind != "equal"
            if in_change and next_changes and _is_glue(segment):
                deleted.append(segment.text)
                inserted.append(segment.text)
                continue
            flush()
            in_change = False
            if result and result[-1].kind == "equal":
                result[-1] = DiffSegment("equal", result[-1].text + segment.text)
            else:
                result.append(segment)
        else:
            in_change = True
            (deleted if segment.kind == "delete" else inserted).append(segment.text)
    flush()
    return tuple(result)


def diff_text(old: str, new: str) -> tuple[DiffSegment, ...]:
    """Word-level difference between ``old`` and ``new``.

    Equal + insert segments rebuild ``new``; equal + delete rebuild ``old``. Adjacent
    segments of one kind are merged; within one change the deleted text comes first. Two
    identical texts give one equal segment (none when both are empty).
    """
    if old == new:
        return (DiffSegment("equal", old),) if old else ()
    return _tidy(_raw_segments(tokenize(old), tokenize(new)))


def diff_documents(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[FieldDiff, ...]:
    """Per field, in the order of ``new`` then the fields only ``old`` has.

    A field missing on one side counts as empty text. ``changed`` is True when the field's
    text differs (an added or removed field that is empty is not a change).
    """
    fields = list(new) + [name for name in old if name not in new]
    result: list[FieldDiff] = []
    for name in fields:
        before, after = old.get(name, ""), new.get(name, "")
        segments = diff_text(before, after)
        result.append(FieldDiff(name, segments, before != after))
    return tuple(result)


def normalize_section(text: str) -> tuple[str, ...]:
    """A section's content for staleness: its paragraphs, each with white space collapsed.

    Unicode is NFC-normalised, line endings and spacing do not count, blank lines between
    paragraphs do (one or more make a paragraph break).
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = re.split(r"\n[ \t\f\v]*\n\s*", text.strip())
    return tuple(p for p in (" ".join(part.split()) for part in paragraphs) if p)


def amendment_is_stale(base_text: str, current_text: str) -> bool:
    """True when the section changed since the amendment was proposed against ``base_text``.

    Only changes a reader can see count: words, punctuation and paragraph breaks, not extra
    spaces, line endings or trailing white space.
    """
    return normalize_section(base_text) != normalize_section(current_text)
