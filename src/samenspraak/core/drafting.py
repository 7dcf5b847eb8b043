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


def _raw_segments(old: Sequence[str], new: Sequence[str]) -> list[DiffSegment]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    segments: list[DiffSegment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(DiffSegment("equal", "".join(old[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(DiffSegment("delete", "".join(old[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(DiffSegment("insert", "".join(new[j1:j2])))
    return segments


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
