"""The criteria catalogue as data (TOML), with validation.

A campaign names its catalogue by id. Criterion ids are stable keys of stored ratings;
labels, questions and prompts may change. New catalogues are TOML files, no schema change.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from stadtraum.errors import ValidationError

SCORE_MIN = 1
SCORE_MAX = 7
SCORES = tuple(range(SCORE_MIN, SCORE_MAX + 1))
DEFAULT_CATALOGUE = "stadtraummonitor14"
ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")  # catalogue and criterion ids
MIN_PROMPTS, MAX_PROMPTS = 3, 5  # prompts per criterion and language


@dataclass(frozen=True)
class Criterion:
    id: str
    label_de: str
    label_en: str
    cluster_de: str
    cluster_en: str
    question_de: str
    question_en: str
    plain_de: str
    prompts_de: tuple[str, ...]
    prompts_en: tuple[str, ...]

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_de

    def question(self, lang: str, plain: bool = False) -> str:
        if plain and lang != "en":
            return self.plain_de
        return self.question_en if lang == "en" else self.question_de

    def prompts(self, lang: str) -> tuple[str, ...]:
        return self.prompts_en if lang == "en" else self.prompts_de


@dataclass(frozen=True)
class Catalogue:
    id: str
    name_de: str
    name_en: str
    criteria: tuple[Criterion, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)

    def index(self, criterion_id: str) -> int:
        try:
            return self.ids.index(criterion_id)
        except ValueError:
            raise ValidationError(
                f"Unbekanntes Kriterium „{criterion_id}“ im Katalog „{self.id}“.",
                f"unknown criterion {criterion_id!r} in catalogue {self.id!r}",
                field=criterion_id) from None

    def get(self, criterion_id: str) -> Criterion:
        return self.criteria[self.index(criterion_id)]

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_de


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"Katalog: Feld „{key}“ fehlt oder ist leer ({where}).",
                              f"catalogue: field {key!r} missing or empty ({where})", field=key)
    return value.strip()


def _prompts(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key)
    if (not isinstance(value, list) or not MIN_PROMPTS <= len(value) <= MAX_PROMPTS
            or not all(isinstance(p, str) and p.strip() for p in value)):
        raise ValidationError(
            f"Katalog: „{key}“ braucht {MIN_PROMPTS} bis {MAX_PROMPTS} Denkanstöße ({where}).",
            f"catalogue: {key!r} needs {MIN_PROMPTS} to {MAX_PROMPTS} prompts ({where})",
            field=key)
    return tuple(p.strip() for p in value)


@functools.lru_cache(maxsize=64)
def parse_catalogue_text(toml_text: str) -> Catalogue:
    """Parse and validate TOML text (cached: stored catalogues are immutable)."""
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"Katalog ist kein gültiges TOML: {exc}",
                              f"catalogue is not valid TOML: {exc}") from exc
    return parse_catalogue(data)


def parse_catalogue(data: dict[str, Any]) -> Catalogue:
    """Validate a parsed TOML document and return the catalogue."""
    cat_id = _text(data, "id", "Katalog")
    if not ID_RE.match(cat_id):
        raise ValidationError(f"Katalog-Id „{cat_id}“ ist ungültig (a-z, 0-9, _).",
                              f"invalid catalogue id {cat_id!r}", field="id")
    entries = data.get("criteria")
    if not isinstance(entries, list) or not entries:
        raise ValidationError("Katalog enthält keine Kriterien.", "catalogue has no criteria",
                              field="criteria")
    criteria: list[Criterion] = []
    for pos, entry in enumerate(entries, start=1):
        where = f"Kriterium {pos}"
        cid = _text(entry, "id", where)
        if not ID_RE.match(cid):
            raise ValidationError(f"Kriteriums-Id „{cid}“ ist ungültig (a-z, 0-9, _).",
                                  f"invalid criterion id {cid!r}", field="id")
        criteria.append(Criterion(
            id=cid,
            label_de=_text(entry, "label_de", where), label_en=_text(entry, "label_en", where),
            cluster_de=_text(entry, "cluster_de", where),
            cluster_en=_text(entry, "cluster_en", where),
            question_de=_text(entry, "question_de", where),
            question_en=_text(entry, "question_en", where),
            plain_de=_text(entry, "plain_de", where),
            prompts_de=_prompts(entry, "prompts_de", where),
            prompts_en=_prompts(entry, "prompts_en", where),
        ))
    ids = [c.id for c in criteria]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValidationError(f"Doppelte Kriteriums-Ids im Katalog: {', '.join(dupes)}.",
                              f"duplicate criterion ids: {dupes}", field="id")
    return Catalogue(cat_id, _text(data, "name_de", "Katalog"), _text(data, "name_en", "Katalog"),
                     tuple(criteria))


def load_catalogue_file(path: Path) -> Catalogue:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(f"Katalogdatei {path.name} ist kein gültiges TOML: {exc}",
                              f"catalogue file {path} is not valid TOML: {exc}") from exc
    return parse_catalogue(data)


def builtin_catalogues() -> dict[str, Catalogue]:
    """The catalogues shipped with the package, by id (parsed once per process)."""
    return dict(_builtin_catalogues())


@functools.cache
def _builtin_catalogues() -> dict[str, Catalogue]:
    result: dict[str, Catalogue] = {}
    folder = resources.files("stadtraum") / "catalogues"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            cat = parse_catalogue(tomllib.loads(item.read_text(encoding="utf-8")))
            result[cat.id] = cat
    return result


def get_catalogue(catalogue_id: str = DEFAULT_CATALOGUE) -> Catalogue:
    cats = builtin_catalogues()
    if catalogue_id not in cats:
        raise ValidationError(f"Unbekannter Katalog „{catalogue_id}“.",
                              f"unknown catalogue {catalogue_id!r}", field="catalogue")
    return cats[catalogue_id]
