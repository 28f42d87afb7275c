"""The personal-data detector (pure): what it marks, with its kind and exact span, and the
many things in residents' comments it must leave alone (dates, prices, years, times,
„Tempo 30“, „Linie 308“, postcodes, counts after street-like words); street names from the
directory; and the demo's comment templates, which carry no personal data, stay unmarked."""

from __future__ import annotations

import itertools

import pytest

from stadtraum.demo import synthetic
from stadtraum.privacy.personal_data import MARK_KINDS, Detector, Mark, find_personal_data

STREETS = ("Am Mühlbach", "Ahornweg", "Platz der Republik", "Alte Dorfstraße", "Markt")


def _marks(text: str) -> list[tuple[str, str]]:
    return [(m.kind, m.of(text)) for m in find_personal_data(text, STREETS)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Schreiben Sie an max.mustermann@example.org bitte",
     [("email", "max.mustermann@example.org")]),
    ("Kontakt: a_b+c@stadt-verwaltung.bochum.de.", [("email", "a_b+c@stadt-verwaltung.bochum.de")]),
    ("anna (at) web (punkt) de", [("email", "anna (at) web (punkt) de")]),
    ("oder anna[at]web.de", [("email", "anna[at]web.de")]),
    ("Ruf an: 0234 123456!", [("phone", "0234 123456")]),
    ("Tel. 0234/123456", [("phone", "0234/123456")]),
    ("mobil 0171/1234567", [("phone", "0171/1234567")]),
    ("0171-1234567 abends", [("phone", "0171-1234567")]),
    ("0171 123 45 67", [("phone", "0171 123 45 67")]),
    ("+49 171 1234567", [("phone", "+49 171 1234567")]),
    ("+49 (0)234 12345-6", [("phone", "+49 (0)234 12345-6")]),
    ("0049 234 123456", [("phone", "0049 234 123456")]),
    ("(0234) 12 34 56", [("phone", "(0234) 12 34 56")]),
    ("Ich wohne Hauptstraße 12a, 44787 Bochum", [("address", "Hauptstraße 12a")]),
    ("an der hauptstr. 12 ist es laut", [("address", "hauptstr. 12")]),
    ("Bochumer Straße 12-14", [("address", "Bochumer Straße 12-14")]),
    ("Hans-Böckler-Straße 3 hat Schimmel", [("address", "Hans-Böckler-Straße 3")]),
    ("Lindenweg 3 und Rosenplatz 5", [("address", "Lindenweg 3"), ("address", "Rosenplatz 5")]),
    ("in der Kastanienallee 7 b", [("address", "Kastanienallee 7 b")]),
    ("Ahornweg Nr. 5", [("address", "Ahornweg Nr. 5")]),
    ("Am Mühlbach 3 ist es laut", [("address", "Am Mühlbach 3")]),  # directory only
    ("am Mühlbach 3", [("address", "am Mühlbach 3")]),  # the directory ignores case
    ("Platz der Republik 1", [("address", "Platz der Republik 1")]),
    ("Alte Dorfstr. 9", [("address", "Alte Dorfstr. 9")]),
    ("am Markt 5 ist ein Café", [("address", "Markt 5")]),
    ("Herr Müller wohnt hier", [("name", "Herr Müller")]),
    ("Frau Dr. Schmidt-Meier sagt", [("name", "Frau Dr. Schmidt-Meier")]),
    ("Hr. Meier und Fr. Özdemir", [("name", "Hr. Meier"), ("name", "Fr. Özdemir")]),
    ("Herrn Peter Schulz fragen", [("name", "Herrn Peter Schulz")]),
    ("Frau Bürgermeisterin Schulz", [("name", "Frau Bürgermeisterin Schulz")]),
    ("Familie Becker", [("name", "Familie Becker")]),
    ("Herr Becker, Ahornweg 12, 0171/2345678, becker@example.org", [
        ("name", "Herr Becker"), ("address", "Ahornweg 12"), ("phone", "0171/2345678"),
        ("email", "becker@example.org")]),
])
def test_marks_personal_data(text: str, expected: list[tuple[str, str]]) -> None:
    assert _marks(text) == expected


@pytest.mark.parametrize("text", [
    "am 12.05.2025 um 20 Uhr", "Seit 2019 wird es schlimmer", "im Jahr 2024", "kostet 12,50 €",
    "12 € für das Parken", "Tempo 30 auf der Hauptstraße", "Die Linie 308 fährt zu selten",
    "44787 Bochum", "01067 Dresden", "auf Platz 5 der Liste", "Parkplatz 20 Minuten suchen",
    "Der Radweg an der Hauptstraße ist super.", "Die Frau und der Herr", "Fr. 10 Uhr",
    "Nach 20 Uhr fährt kaum ein Bus", "Hauptstraße 12.05. Sperrung", "um 08:30 Uhr", "0,5 km",
    "12345", "Der Schulweg 2 Kinder", "Hauptstraße 30 km/h", "die Marktstraße ist 300 Meter lang",
    "100 %", "Ich bin 65 und wohne seit 40 Jahren hier", "Frau Bürgermeisterin",
    "frau müller", "Herr der Lage", "Tel. fehlt", "ISBN 978-3-16-148410-0", "Nummer 0800",
    "email@", "@stadt", "Gleis 3", "Haus 7", "Bus 365 und 366", "Am Markt ist es schön",
    "Zu Fuß ist alles in zehn Minuten erreichbar.", "Es gibt 2 Bänke und 1 Baum.",
    "Der Ahornweg ist dunkel", "Die Straße 3 mal gesperrt",
])
def test_leaves_everything_else_alone(text: str) -> None:
    assert _marks(text) == []


def test_demo_templates_carry_no_marks() -> None:
    texts = [t for kinds in (*synthetic._TEMPLATES.values(), synthetic._GENERIC)
             for group in kinds.values() for t in group]
    texts += [synthetic.XSS_COMMENT, synthetic.FORMULA_COMMENT]
    assert len(texts) > 40
    found = {t: _marks(t) for t in texts if _marks(t)}
    assert found == {}


def test_marks_are_sorted_disjoint_and_offsets_into_the_text() -> None:
    text = "Mail: x@y.de – Tel 0234 123456 – Frau Kaya, Ahornweg 3"
    marks = find_personal_data(text, STREETS)
    assert [m.kind for m in marks] == ["email", "phone", "name", "address"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(marks))
    assert marks[0] == Mark(6, 12, "email") and text[6:12] == "x@y.de"
    assert {m.kind for m in marks} <= set(MARK_KINDS.codes)
    # an e-mail address with digits is one e-mail, not a phone number inside it
    assert _marks("01711234567@example.org") == [("email", "01711234567@example.org")]


def test_kinds_have_german_and_english_labels() -> None:
    assert MARK_KINDS.label("phone") == "Telefonnummer"
    assert MARK_KINDS.label("address", "en") == "address"


def test_a_detector_with_a_large_directory_in_a_long_comment() -> None:
    streets = [f"Am {w}{i}" for w in ("Bach", "Hang", "Feld") for i in range(1000)]
    detector = Detector(streets)  # built once, used for every comment of a page
    text = ("Die Ampel an der Kreuzung ist 12 Sekunden grün, Tempo 30 gilt nicht. " * 30
            + "Herr Becker, Am Bach17 4")
    marks = detector.find(text)
    assert [(m.kind, m.of(text)) for m in marks] == [("name", "Herr Becker"),
                                                      ("address", "Am Bach17 4")]
    assert detector.find("Am Bach1000 4") == ()  # not in the directory, no street suffix
