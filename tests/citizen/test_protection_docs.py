"""docs/betrieb.md describes every protection of the citizens' form, what it stops and what
it does not, with the figures the code uses."""

from __future__ import annotations

from pathlib import Path

from stadtraum.citizen.burst import BASELINE_HOURS, FACTOR, FLOOR
from stadtraum.citizen.invitations import ALPHABET, GROUP, GROUPS

DOC = Path(__file__).resolve().parents[2] / "docs" / "betrieb.md"


def test_the_section_names_each_protection_and_its_limits() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "## Schutz vor Mehrfachteilnahme" in text
    section = text.split("## Schutz vor Mehrfachteilnahme", 1)[1].split("\n## ", 1)[0]
    for name in ("Sperre je Internetanschluss", "Plausibilitätsmarken", "Häufungserkennung",
                 "Einladungscodes"):
        assert f"**{name}**" in section
    assert section.count("Hält nicht auf") >= 4 and section.count("Hält auf") >= 4
    assert f"max({FLOOR}, {FACTOR} ×" in section and f"{BASELINE_HOURS} Stunden" in section
    assert "als 0" in section  # empty hours count as zero
    assert f"{GROUP * GROUPS} Zeichen" in section and str(len(ALPHABET)) in section
    assert "Carrier-NAT" in section
