"""Warnings of GDAL, pyogrio and geopandas while a boundary file is read.

pyogrio turns GDAL warnings into Python ``RuntimeWarning``s and geopandas adds
``UserWarning``s of its own; left alone, both are printed to the server's or the command
line's stderr. Here they are caught, logged in English (level INFO: the person importing
sees them in the import report, not as noise) and returned as Notes in German.
"""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from collections.abc import Iterator

from stadtraum.geo.model import Note

log = logging.getLogger(__name__)

# English message (regular expression) -> German note; {0} is the first group
_KNOWN = (
    (r"Non closed ring detected", "Ein Ring einer Fläche war nicht geschlossen (erster und "
     "letzter Punkt verschieden); er wurde beim Lesen geschlossen."),
    (r"Unsupported geometry type detected", "Ein Objekt hat einen unbekannten Geometrietyp; "
     "seine Geometrie wurde als leer gelesen."),
    (r"Could not parse column '([^']*)' as JSON", "Das Feld {0!r} enthält gemischte Werte "
     "(z. B. Zahlen und Text) und wurde als Text gelesen."),
)


def _german(text: str) -> str:
    for pattern, german in _KNOWN:
        match = re.search(pattern, text)
        if match:
            return german.format(*match.groups())
    return f"GDAL meldete beim Lesen: „{text}“."


@contextlib.contextmanager
def captured(shown: str) -> Iterator[list[Note]]:
    """Catch the reading warnings inside the block; the list is filled when it ends (also when
    it raises, so that the log keeps them)."""
    notes: list[Note] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield notes
        finally:
            seen: set[str] = set()
            for warning in caught:
                text = " ".join(str(warning.message).split())
                if text in seen:
                    continue
                seen.add(text)
                log.info("reading %r: %s: %s", shown, warning.category.__name__, text)
                notes.append(Note("read_warning", f"{shown}: {_german(text)}",
                                  f"{shown}: {warning.category.__name__}: {text}"))
