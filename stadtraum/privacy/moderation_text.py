"""Redaction of a comment's text (pure): spans replaced by „[entfernt]“, never new words.

A redaction is a set of spans ``(start, end)`` (Python string offsets, ``end`` exclusive) of
the text the moderator sees; each span is replaced by :data:`REMOVED`. Three ways lead to
spans, and each can only take text away:

- spans given directly (the detector's marks, or offsets), checked by :func:`check_spans`;
- phrases quoted literally (:func:`spans_of_phrases`: every occurrence, case-insensitive);
- an edited version (:func:`spans_from_edited`): the text with some parts replaced by
  „[entfernt]“; anything else that differs from the text is refused.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from stadtraum.errors import ValidationError

__all__ = ["MAX_REASON", "REMOVED", "Span", "check_spans", "merge_spans", "redact",
           "spans_from_edited", "spans_of_phrases"]

REMOVED = "[entfernt]"
MAX_REASON = 500
Span = tuple[int, int]


def _bad(de: str, en: str, field: str = "spans") -> ValidationError:
    return ValidationError(de, en, field=field)


def check_spans(text: str, spans: Iterable[Sequence[int]]) -> tuple[Span, ...]:
    """``spans`` sorted, each inside ``text``, non-empty, not overlapping; at least one."""
    out: list[Span] = []
    for span in spans:
        if len(span) != 2 or not all(isinstance(v, int) and not isinstance(v, bool)
                                     for v in span):
            raise _bad(f"Ungültige Stelle {tuple(span)!r}: erwartet werden Anfang und Ende "
                       "als ganze Zahlen.", f"invalid span {tuple(span)!r}")
        start, end = int(span[0]), int(span[1])
        if not 0 <= start < end <= len(text):
            raise _bad(f"Die Stelle {start}–{end} liegt außerhalb des Kommentars (er hat "
                       f"{len(text)} Zeichen) oder ist leer.",
                       f"span {start}-{end} out of range for {len(text)} characters")
        out.append((start, end))
    if not out:
        raise _bad("Bitte mindestens eine Stelle zum Schwärzen wählen.", "no span given")
    out.sort()
    for (s1, e1), (s2, e2) in itertools.pairwise(out):
        if s2 < e1:
            raise _bad(f"Die Stellen {s1}–{e1} und {s2}–{e2} überschneiden sich; bitte "
                       "jede Stelle nur einmal wählen.", f"spans {s1}-{e1} and {s2}-{e2} overlap")
    return tuple(out)


def merge_spans(spans: Iterable[Sequence[int]]) -> tuple[Span, ...]:
    """``spans`` sorted, overlapping or touching ones joined (for combining marks and
    phrases before :func:`check_spans`)."""
    out: list[list[int]] = []
    for start, end in sorted((int(s[0]), int(s[1])) for s in spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((s, e) for s, e in out)


def redact(text: str, spans: Iterable[Sequence[int]]) -> str:
    """``text`` with every span replaced by „[entfernt]“ (spans checked first)."""
    parts: list[str] = []
    at = 0
    for start, end in check_spans(text, spans):
        parts += [text[at:start], REMOVED]
        at = end
    parts.append(text[at:])
    return "".join(parts)


def spans_of_phrases(text: str, phrases: Iterable[str]) -> tuple[Span, ...]:
    """Every occurrence of each phrase (trimmed, case-insensitive) in ``text``, merged; a
    phrase that does not occur is refused (it was probably mistyped)."""
    folded = text.casefold()
    if len(folded) != len(text):  # rare letters whose case-fold is longer: match exactly
        folded = text
    spans: list[Span] = []
    for raw in phrases:
        phrase = raw.strip()
        if not phrase:
            continue
        needle = phrase.casefold() if folded is not text else phrase
        at = folded.find(needle)
        if at < 0:
            raise _bad(f"„{phrase}“ kommt im Kommentar nicht vor; bitte die Stelle wörtlich "
                       "angeben.", "phrase not found in the comment", field="phrases")
        while at >= 0:
            spans.append((at, at + len(needle)))
            at = folded.find(needle, at + len(needle))
    return merge_spans(spans)


def spans_from_edited(text: str, edited: str) -> tuple[Span, ...]:
    """The spans that turn ``text`` into ``edited``, where ``edited`` is ``text`` with some
    parts replaced by „[entfernt]“; refused if it adds or changes anything else."""
    pieces = edited.split(REMOVED)
    refused = _bad("Die bearbeitete Fassung darf nur Stellen durch „[entfernt]“ ersetzen, "
                   "sonst nichts ändern oder hinzufügen.",
                   "the edited text does more than replace parts by [entfernt]",
                   field="edited_text")
    if len(pieces) == 1:
        raise _bad("Die bearbeitete Fassung enthält kein „[entfernt]“: bitte die Stellen, "
                   "die wegsollen, durch „[entfernt]“ ersetzen.", "nothing replaced",
                   field="edited_text")
    if not text.startswith(pieces[0]):
        raise refused
    spans: list[Span] = []
    at = len(pieces[0])
    for i, piece in enumerate(pieces[1:], start=1):
        last = i == len(pieces) - 1
        if last:
            found = len(text) - len(piece)
            if not text.endswith(piece) or found <= at:
                raise refused
        else:
            found = text.find(piece, at + 1) if piece else -1  # "[entfernt][entfernt]": no
            if found < 0:
                raise refused
        spans.append((at, found))
        at = found + len(piece)
    result = check_spans(text, spans)
    if redact(text, result) != edited:
        raise refused
    return result
