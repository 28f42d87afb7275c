"""The README of an open-data package in plain German (pure): what the numbers are, the
scale, why some cells are empty, why the figures change only in steps, and that they are not
representative."""

from __future__ import annotations

import datetime as dt

from stadtraum.config import CITY_TZ
from stadtraum.publish.open_data_record import LICENCES, Publisher
from stadtraum.publish.public_results import PublicSnapshot

__all__ = ["readme_text"]

_LICENCE_NAMES = {
    "dl-de/by-2-0": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "dl-de/zero-2-0": "Datenlizenz Deutschland – Zero – Version 2.0",
    "cc-by/4.0": "Creative Commons Namensnennung 4.0 International",
    "cc-zero": "Creative Commons Zero",
}


def readme_text(snap: PublicSnapshot, publisher: Publisher, licence: str,
                now: dt.datetime) -> str:
    stand = snap.published_at.astimezone(CITY_TZ)
    made = now.astimezone(CITY_TZ)
    lines = [
        f"Offene Daten: {snap.name}",
        "=" * min(78, len(snap.name) + 14),
        "",
        f"Herausgeber: {publisher.name}",
        f"Kontakt: {publisher.contact or publisher.name}",
        f"Stand der Zahlen: {stand:%d.%m.%Y, %H:%M} Uhr (veröffentlichter Stand)",
        f"Paket erstellt: {made:%d.%m.%Y, %H:%M} Uhr",
        "",
        "Worum es geht",
        "-------------",
        "Menschen haben bewertet, wie gut sie in ihrem Quartier leben: zum Beispiel Wege zu "
        "Fuß und mit dem Rad, Grün, Wohnen oder das Gefühl von Sicherheit. Jede Bewertung "
        "ist eine Zahl von 1 bis 7.",
        "  1 heißt: Hier ist viel zu verbessern.",
        "  7 heißt: Das ist hier sehr gut.",
        "Die Dateien zeigen je Gebiet und Thema den Mittelwert dieser Bewertungen, gerundet "
        "auf eine Stelle nach dem Komma. Der Gesamtindex ist der Mittelwert der gezeigten "
        "Themen eines Gebiets.",
        "",
        "Warum manche Felder leer sind",
        "-----------------------------",
        f"Haben weniger als {snap.min_n} Personen ein Thema in einem Gebiet bewertet, zeigen "
        "wir dort keinen Wert. So kann niemand auf die Antwort einer einzelnen Person "
        "schließen. Damit sich ein verborgener Wert auch nicht aus anderen Zahlen ausrechnen "
        "lässt, bleiben manchmal auch Nachbarfelder leer. Leer heißt also: zu wenige "
        "Antworten oder zum Schutz verborgen – nicht: schlecht.",
        "Wie viele Personen geantwortet haben, steht aus demselben Grund nicht in den Dateien.",
        "",
        "Warum sich Zahlen nur in Schritten ändern",
        "----------------------------------------",
        f"Ein Wert wird erst neu veröffentlicht, wenn seit dem letzten Mal mindestens "
        f"{snap.min_n} weitere Bewertungen dazugekommen sind. Wer zwei Stände vergleicht, "
        "kann so keine einzelne Antwort herausrechnen.",
        "",
        "Nicht repräsentativ",
        "-------------------",
        "Geantwortet hat, wer angesprochen wurde und mitmachen wollte. Die Zahlen zeigen "
        "Meinungen der Beteiligten, keine Messung für alle Bewohnerinnen und Bewohner. "
        "Unterschiede zwischen Gebieten sind Hinweise, keine Beweise.",
        "",
        "Die Dateien",
        "-----------",
        "  ergebnisse.csv                 alle Ebenen; Spalten: ebene, gebiet_code, gebiet,",
        "                                 kriterium_id, kriterium, mittelwert (Punkt als",
        "                                 Dezimalzeichen, leer = kein Wert), unterdrueckt",
        "  ergebnisse.csv-metadata.json   Beschreibung der CSV (W3C CSV on the Web)",
        f"  ergebnisse.geojson             Ebene {snap.levels[0]}, ein Objekt je Gebiet, WGS84",
        "  ergebnisse.gpkg                GeoPackage, eine Ebene je Gliederung und die Tabelle",
        "                                 metadaten",
        "  metadaten.jsonld               Metadaten nach DCAT-AP.de 2.0 (JSON-LD)",
        "  SHA256SUMS                     Prüfsummen; prüfen mit: sha256sum -c SHA256SUMS",
        "",
        "Kommentare der Befragten sind nie Teil offener Daten.",
        "",
        "Lizenz",
        "------",
        f"{_LICENCE_NAMES.get(licence, licence)} ({licence}), {LICENCES[licence]}",
        f"Namensnennung: „Datenquelle: {publisher.name}, StadtRaumMonitor, {stand:%Y}“",
        "",
    ]
    return "\r\n".join(lines)
