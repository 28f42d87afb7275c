"""The results table of every results export (pure): the one engine's suppressed statistics
per level, area and criterion, plus the overall index, and the metadata that every file
carries (filter, campaign, suppression rule, date).

Nothing is computed here: n, mean, CI, median and the suppression mask are read from
:class:`~stadtraum.analysis.results.Results` (the joint suppression of the engine, secondary
suppression included). A suppressed cell carries no figure at all, not even its n. The
index row's n is the number of respondents of the area, shown only where the engine shows
both the index and the respondent count.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.results import Results
from stadtraum.analysis.suppression import suppressed_text
from stadtraum.vocab import AGE_BANDS, GENDERS, MODES, RELATIONS

__all__ = ["COLUMNS", "INDEX_ID", "INDEX_LABEL", "STAT_COLUMNS", "ExportMeta", "filter_text",
           "level_names", "results_rows", "wide_frame", "wide_names"]

INDEX_ID = "gesamtindex"
INDEX_LABEL = "Gesamtindex (Mittel der gezeigten Kriterien)"
DECIMALS = 3
# long table: one row per level, area and criterion (and the index)
COLUMNS = ("ebene", "gebiet_code", "gebiet", "kriterium_id", "kriterium", "n", "mittelwert",
           "ki95_unten", "ki95_oben", "median", "unterdrueckt")
STAT_COLUMNS = ("n", "mittelwert", "ki95_unten", "ki95_oben", "median")
_WIDE_SUFFIX = {"n": "n", "mittelwert": "Mittelwert", "ki95_unten": "KI95 unten",
                "ki95_oben": "KI95 oben", "median": "Median"}


@dataclass(frozen=True)
class ExportMeta:
    """What a results file reflects; written into every file."""

    campaigns: tuple[tuple[int, str], ...]  # (id, name)
    filter_de: str
    min_n: int
    created_at: dt.datetime  # UTC
    levels: tuple[str, ...]
    source: str = "live"  # "live": the engine's exact figures; "published": the snapshot
    extra: dict[str, str] = field(default_factory=dict)

    def items(self) -> list[tuple[str, str]]:
        """(German label, value) pairs, in the order the files show them."""
        names = "; ".join(f"{name} (Id {cid})" for cid, name in self.campaigns)
        basis = ("veröffentlichter Stand (gerundet, ohne Fallzahlen)" if self.source ==
                 "published" else "aktuelle Auswertung der Statistik-Engine")
        return [
            ("Befragung", names),
            ("Filter", self.filter_de),
            ("Ebenen", ", ".join(self.levels)),
            ("Geheimhaltung", f"Zellen mit weniger als {self.min_n} Bewertungen (min_n = "
             f"{self.min_n}) und zum Schutz davor mitunterdrückte Zellen "
             "(Sekundärgeheimhaltung) zeigen keinen Wert und keine Fallzahl; Gesamtindex "
             f"unterdrückt, wenn weniger als {self.min_n} Personen das Gebiet bewertet haben."),
            ("Unterdrückte Zelle", f"leer bzw. „·“: {suppressed_text(self.min_n)}"),
            ("Stand", self.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
            ("Grundlage", basis),
            ("Skala", "1 (sehr schlecht) bis 7 (sehr gut); KI95 = 95-%-Konfidenzintervall "
             "des Mittelwerts"),
            ("Hinweis", "Die Ergebnisse sind nicht repräsentativ: es antworteten, wer "
             "erreicht wurde und teilnehmen wollte."),
            *self.extra.items(),
        ]

    def as_dict(self) -> dict[str, object]:
        return {"campaigns": [{"id": cid, "name": name} for cid, name in self.campaigns],
                "filter": self.filter_de, "min_n": self.min_n, "levels": list(self.levels),
                "created_at": self.created_at.astimezone(dt.UTC).isoformat(),
                "source": self.source, "beschreibung": dict(self.items())}


def filter_text(flt: CubeFilter) -> str:
    """The filter in German words, e.g. ``Erhebungsarten: Straße, Papier; alle Personen``."""
    parts = ["Erhebungsarten: " + ", ".join(MODES.label(m) for m in flt.modes)]
    if flt.period is not None:
        parts.append(f"Zeitraum: {flt.period[0].isoformat()} bis {flt.period[1].isoformat()}")
    for word, vocab, chosen in (("Altersgruppe", AGE_BANDS, flt.age_bands),
                                ("Geschlecht", GENDERS, flt.genders),
                                ("Bezug zum Ort", RELATIONS, flt.relations)):
        if chosen is not None:
            parts.append(f"{word}: " + ", ".join(
                vocab.label(c) if c in vocab.codes else c for c in chosen))
    if not flt.has_row_predicates():
        parts.append("alle Personen, ganzer Befragungszeitraum")
    return "; ".join(parts)


def level_names(results: Results, wanted: Sequence[str] | None) -> list[int]:
    """Positions of the wanted levels (all when None), in the engine's order."""
    if wanted is None:
        return list(range(len(results.levels)))
    names = [t.name for t in results.levels]
    return [k for k, name in enumerate(names) if name in set(wanted)]


def _num(value: float, shown: bool) -> float | None:
    if not shown or math.isnan(value):
        return None
    return round(float(value), DECIMALS)


def results_rows(results: Results, levels: Sequence[int], lang: str = "de") -> pd.DataFrame:
    """The long table (:data:`COLUMNS`); figures of suppressed cells are None (missing)."""
    rows: list[tuple[object, ...]] = []
    for k in levels:
        table = results.levels[k]
        st = table.stats
        for a, (code, name) in enumerate(zip(table.areas["code"].astype(str),
                                             table.areas["name"].astype(str), strict=True)):
            for c, crit in enumerate(results.criteria):
                shown = not bool(table.suppressed[a, c])
                n = int(st.n[a, c]) if shown else None
                rows.append((table.name, code, name, crit.id, crit.label(lang), n,
                             _num(st.mean[a, c], shown), _num(st.ci_low[a, c], shown),
                             _num(st.ci_high[a, c], shown), _num(st.median[a, c], shown),
                             not shown))
            shown = not bool(table.index_suppressed[a])
            n_idx = (int(table.respondents[a])
                     if shown and not bool(table.respondents_suppressed[a]) else None)
            rows.append((table.name, code, name, INDEX_ID, INDEX_LABEL, n_idx,
                         _num(table.index[a], shown), None, None, None, not shown))
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["n"] = frame["n"].astype("Int64")
    for col in STAT_COLUMNS[1:]:
        frame[col] = frame[col].astype("float64")
    return frame


def wide_names(results: Results, lang: str = "de") -> dict[str, str]:
    """criterion id -> the readable prefix of its fields (its label; the id on a clash)."""
    labels = {c.id: c.label(lang).strip() or c.id for c in results.criteria}
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    out = {cid: (label if seen[label] == 1 else f"{label} ({cid})")
           for cid, label in labels.items()}
    out[INDEX_ID] = "Gesamtindex"
    return out


def wide_frame(long: pd.DataFrame, level: str, prefixes: dict[str, str]) -> pd.DataFrame:
    """One row per area of ``level``: ``Gebiet-Code``, ``Gebiet``, then per criterion (and the
    index) the fields ``<label>: Mittelwert``, ``…: n``, ``…: KI95 unten``, ``…: KI95 oben``,
    ``…: Median`` (the index: Mittelwert and n). Suppressed: missing."""
    part = long[long["ebene"] == level]
    areas = part.drop_duplicates("gebiet_code")[["gebiet_code", "gebiet"]]
    out = pd.DataFrame({"Ebene": level, "Gebiet-Code": areas["gebiet_code"].to_numpy(),
                        "Gebiet": areas["gebiet"].to_numpy()})
    for cid, prefix in prefixes.items():
        rows = part[part["kriterium_id"] == cid].set_index("gebiet_code")
        if rows.empty:
            continue
        cols = (("mittelwert", "n") if cid == INDEX_ID else
                ("mittelwert", "n", "ki95_unten", "ki95_oben", "median"))
        for col in cols:
            values = rows[col].reindex(out["Gebiet-Code"]).to_numpy()
            out[f"{prefix}: {_WIDE_SUFFIX[col]}"] = pd.array(
                values, dtype="Int64" if col == "n" else "Float64")
    return out
