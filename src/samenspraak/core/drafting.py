"""Readable differences between two versions of a document, and stale amendments.

``diff_text`` compares two texts word by word (with difflib from the standard library) and
returns segments that are equal, inserted or deleted. White space and newlines stay inside
the segments, so joining the equal and inserted segments gives the new text back exactly,
and joining the equal and deleted segments gives the old text back: a page can render
paragraphs as they were. See docs/methods/version-diff.md.
"""

from __future__ import annotations

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


def _blocks(old: Sequence[str], new: Sequence[str]) -> list[_Block]:
    """difflib's opcodes as token blocks; a replacement is a delete followed by an insert."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    blocks: list[_Block] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            blocks.append(("equal", list(old[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            blocks.append(("delete", list(old[i1:i2])))
        if tag in ("insert", "replace"):
            blocks.append(("insert", list(new[j1:j2])))
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
