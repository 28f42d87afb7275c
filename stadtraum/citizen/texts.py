"""Texts of the citizens' online form in German, plain German (Leichte Sprache) and English.

Plain German follows the rules of Leichte Sprache: short sentences, one statement each, no
foreign words, hard words explained. The criteria's own plain-language questions come from
the catalogue (``plain_de``).
"""

from __future__ import annotations

from collections.abc import Mapping

LANG_NAMES: Mapping[str, str] = {"de": "Deutsch", "plain": "Leichte Sprache", "en": "English"}

# key -> (Deutsch, Leichte Sprache, English)
TEXTS: Mapping[str, tuple[str, str, str]] = {
    "title": ("Wie lebenswert ist Ihr Viertel?", "Wie gut ist es in Ihrem Viertel?",
              "How liveable is your neighbourhood?"),
    "intro": ("Die Stadt möchte wissen, wie Sie Ihr Umfeld erleben: {campaign}. "
              "Sie bewerten 14 Themen von 1 bis 7. Das dauert etwa fünf Minuten.",
              "Die Stadt fragt: Wie gut ist es dort, wo Sie wohnen? "
              "Es gibt 14 Fragen. Sie geben Punkte von 1 bis 7. Das dauert 5 Minuten.",
              "The city would like to know how you experience your surroundings: {campaign}. "
              "You rate 14 topics from 1 to 7. It takes about five minutes."),
    "privacy_heading": ("Datenschutz", "Ihre Daten", "Privacy"),
    "consent": ("Ich habe die Hinweise gelesen und mache freiwillig mit.",
                "Ich habe das gelesen. Ich mache mit.",
                "I have read the notice and take part voluntarily."),
    "start": ("Einverstanden – los geht's", "Los geht's", "I agree – let's start"),
    "need_consent": ("Bitte bestätigen Sie zuerst, dass Sie mitmachen möchten.",
                     "Bitte setzen Sie zuerst den Haken.",
                     "Please confirm first that you want to take part."),
    "area_heading": ("Um welches Gebiet geht es?", "Um welches Viertel geht es?",
                     "Which area are you rating?"),
    "area_label": ("Gebiet (zum Suchen tippen)", "Viertel (Namen tippen)",
                   "Area (type to search)"),
    "area_placeholder": ("Gebiet wählen …", "Viertel wählen …", "Choose an area …"),
    "area_how": ("So finden Sie Ihr Gebiet", "So finden Sie Ihr Viertel", "Find your area by"),
    "way_name": ("Name des Gebiets", "Name vom Viertel", "its name"),
    "way_street": ("Ihre Straße", "Ihre Straße", "your street"),
    "way_map": ("Karte", "Karte", "the map"),
    "way_here": ("Mein Standort", "Wo ich bin", "my location"),
    "street_label": ("Ihre Straße", "Ihre Straße", "Your street"),
    "street_placeholder": ("Anfang des Straßennamens, z. B. „Haupt“",
                           "Die ersten Buchstaben, zum Beispiel „Haupt“",
                           "Start of the street's name, e.g. “Haupt”"),
    "street_pick": ("Tippen Sie Ihre Straße an", "Tippen Sie auf Ihre Straße",
                    "Tap your street"),
    "street_nothing": ("Keine Straße gefunden, die mit „{query}“ beginnt oder es enthält. Bitte "
                       "anders schreiben oder das Gebiet über den Namen oder die Karte wählen.",
                       "Wir finden keine Straße mit „{query}“. Schreiben Sie es anders. Oder "
                       "wählen Sie das Viertel über den Namen oder die Karte.",
                       "No street starts with or contains “{query}”. Please write it "
                       "differently, or choose the area by its name or on the map."),
    "street_more": ("Mehr als {n} Straßen gefunden: bitte weiter tippen.",
                    "Es gibt mehr als {n} Straßen. Schreiben Sie noch mehr Buchstaben.",
                    "More than {n} streets found: please type more."),
    "map_hint": ("Tippen Sie auf der Karte auf Ihr Gebiet.", "Tippen Sie auf der Karte auf "
                 "Ihr Viertel.", "Tap your area on the map."),
    "here_note": ("Ihr Standort wird nur genutzt, um Ihr Gebiet vorzuschlagen. Er wird nicht "
                  "gespeichert und nicht übertragen, nur das Gebiet, das Sie übernehmen.",
                  "Wir nutzen Ihren Standort nur, um Ihr Viertel zu finden. Wir speichern ihn "
                  "nicht.", "Your location is used only to suggest your area. It is neither "
                  "stored nor sent on; only the area you accept is."),
    "here_button": ("📍 Meinen Standort verwenden", "📍 Wo bin ich?", "📍 Use my location"),
    "here_busy": ("Standort wird bestimmt …", "Einen Moment …", "Finding your location …"),
    "here_https": ("Den Standort gibt es nur über eine sichere Verbindung (HTTPS).",
                   "Das geht nur mit einer sicheren Verbindung.",
                   "Location needs a secure connection (HTTPS)."),
    "here_denied": ("Der Zugriff auf den Standort wurde abgelehnt (Einstellungen des Browsers).",
                    "Ihr Browser gibt den Standort nicht frei.",
                    "Access to the location was refused (browser settings)."),
    "here_failed": ("Der Standort konnte nicht bestimmt werden.",
                    "Wir konnten Ihren Standort nicht finden.",
                    "The location could not be found."),
    "here_slow": ("Die Standortbestimmung hat zu lange gedauert – bitte erneut versuchen.",
                  "Das hat zu lange gedauert. Bitte noch einmal.",
                  "Finding the location took too long – please try again."),
    "here_found": ("Sie sind vermutlich in: {area}", "Sie sind wohl in: {area}",
                   "You are probably in: {area}"),
    "here_take": ("Dieses Gebiet übernehmen", "Ja, das ist mein Viertel", "Use this area"),
    "here_outside": ("Ihr Standort liegt in keinem Gebiet dieser Befragung. Bitte wählen Sie "
                     "Ihr Gebiet anders.", "Ihr Standort ist nicht in der Stadt. Wählen Sie "
                     "Ihr Viertel bitte anders.", "Your location is in none of this survey's "
                     "areas. Please choose your area another way."),
    "area_chosen": ("Gewähltes Gebiet: {area}", "Ihr Viertel: {area}", "Chosen area: {area}"),
    "area_none": ("Noch kein Gebiet gewählt.", "Noch kein Viertel gewählt.",
                  "No area chosen yet."),
    "need_area": ("Bitte wählen Sie zuerst ein Gebiet.", "Bitte wählen Sie zuerst ein Viertel.",
                  "Please choose an area first."),
    "step_of": ("Frage {number} von {total}", "Frage {number} von {total}",
                "Question {number} of {total}"),
    "scale_hint": ("1 = hier muss viel besser werden · 7 = hier muss kaum etwas besser werden",
                   "1 Punkt heißt: schlecht. 7 Punkte heißt: sehr gut.",
                   "1 = a lot needs improving · 7 = hardly anything needs improving"),
    "rating": ("Ihre Bewertung", "Ihre Punkte", "Your rating"),
    "poor": ("schlecht", "schlecht", "poor"),
    "good": ("gut", "sehr gut", "good"),
    "no_answer": ("keine Angabe", "weiß nicht", "no answer"),
    "comment": ("Kommentar (freiwillig)", "Wollen Sie etwas dazu schreiben?",
                "Comment (optional)"),
    "comment_good": ("Was ist hier gut?", "Was ist gut?", "What is good here?"),
    "comment_better": ("Was könnte besser werden?", "Was soll besser werden?",
                       "What could be better?"),
    "comment_hint": ("Bitte keine Namen, Adressen oder Telefonnummern.",
                     "Schreiben Sie bitte keine Namen. Und keine Adressen.",
                     "Please no names, addresses or phone numbers."),
    "about_heading": ("Zum Schluss: Angaben zu Ihrer Person (freiwillig)",
                      "Zum Schluss: Fragen zu Ihnen. Sie müssen nicht antworten.",
                      "Finally: about you (optional)"),
    "age": ("Alter", "Wie alt sind Sie?", "Age"),
    "gender": ("Geschlecht", "Geschlecht", "Gender"),
    "relation": ("Bezug zum Ort", "Was machen Sie in dem Viertel?", "Relation to the place"),
    "back": ("Zurück", "Zurück", "Back"),
    "next": ("Weiter", "Weiter", "Next"),
    "send": ("Abschicken", "Abschicken", "Send"),
    "resend": ("Erneut senden", "Noch einmal senden", "Send again"),
    "need_rating": ("Bitte bewerten Sie mindestens ein Thema.",
                    "Bitte geben Sie bei mindestens 1 Frage Punkte.",
                    "Please rate at least one topic."),
    "not_saved": ("Nicht gespeichert – bitte erneut senden.",
                  "Das hat nicht geklappt. Bitte noch einmal senden.",
                  "Not saved – please send again."),
    "rate_limited": ("Von Ihrem Internetanschluss wurden in der letzten Stunde schon sehr viele "
                     "Fragebögen ausgefüllt. Bitte versuchen Sie es später noch einmal.",
                     "Von Ihrem Internet-Anschluss kamen schon sehr viele Antworten. "
                     "Bitte versuchen Sie es später noch einmal.",
                     "Very many forms have come from your internet connection in the last "
                     "hour. Please try again later."),
    "thanks": ("Vielen Dank! Ihre Antworten sind gespeichert.",
               "Danke! Wir haben Ihre Antworten gespeichert.",
               "Thank you! Your answers have been saved."),
    "compare_heading": ("Ihre Bewertung im Vergleich", "Ihre Punkte und die Punkte der anderen",
                        "Your rating compared"),
    "own": ("Ihre Bewertung", "Ihre Punkte", "Your rating"),
    "area_result": ("{area}: veröffentlichtes Ergebnis", "{area}: das Ergebnis der anderen",
                    "{area}: published result"),
    "not_published": ("Das Ergebnis für {area} wird veröffentlicht, sobald die Stadt es "
                      "freigibt. Ihre Antworten zählen dann mit.",
                      "Das Ergebnis für {area} zeigen wir später. Ihre Antworten zählen mit.",
                      "The result for {area} will be shown once the city publishes it. Your "
                      "answers will count."),
    "published_note": ("Das veröffentlichte Ergebnis wird gerundet und erst erneuert, wenn "
                       "genug neue Antworten da sind – Ihre Antwort allein ändert es nicht.",
                       "Das Ergebnis ändert sich erst, wenn viele neue Antworten da sind.",
                       "The published result is rounded and renewed only once enough new "
                       "answers have come in – your answer alone does not change it."),
    "area_hidden": ("Für {area} gibt es noch zu wenige Antworten (weniger als {min_n} je Thema), "
                    "um ein Ergebnis zu zeigen. Ihre Antworten helfen dabei!",
                    "Für {area} gibt es noch zu wenige Antworten. Darum zeigen wir noch kein "
                    "Ergebnis. Ihre Antworten helfen dabei!",
                    "There are not yet enough responses for {area} (fewer than {min_n} per "
                    "topic) to show a result. Your answers help!"),
    "area_partial": ("Themen ohne Wert für das Gebiet: dort gibt es noch zu wenige Antworten.",
                     "Bei manchen Fragen fehlt ein Punkt. Dort gibt es noch zu wenige Antworten.",
                     "Topics without a value for the area have too few responses so far."),
    "topic": ("Thema", "Frage", "Topic"),
    "you": ("Sie", "Sie", "You"),
    "not_representative": ("Das Ergebnis ist nicht repräsentativ: es zeigt, wie die bisher "
                           "Befragten ihr Umfeld bewerten.",
                           "Das Ergebnis zeigt nur die Meinung von den Menschen, die "
                           "mitgemacht haben.",
                           "The result is not representative: it shows how the respondents so "
                           "far rate their surroundings."),
    "code_label": ("Einladungscode (steht auf Ihrem Einladungsschreiben)",
                   "Ihr Code. Der Code steht auf Ihrem Brief.",
                   "Invitation code (printed on your invitation)"),
    "code_hint": ("Zum Beispiel ABCD-EFGH-JKMN. Jeder Code gilt für einen Fragebogen. "
                  "Gespeichert wird nur, dass er benutzt wurde, nicht zu welchen Antworten.",
                  "Zum Beispiel: ABCD-EFGH-JKMN. Jeder Code gilt nur 1 Mal. "
                  "Niemand erfährt, welche Antworten zu Ihrem Code gehören.",
                  "For example ABCD-EFGH-JKMN. Each code is valid for one form. We only store "
                  "that it was used, not with which answers."),
    "need_code": ("Für diese Befragung brauchen Sie einen Einladungscode. Sie finden ihn auf "
                  "Ihrem Einladungsschreiben.",
                  "Sie brauchen einen Code. Der Code steht auf Ihrem Brief.",
                  "You need an invitation code for this survey. It is printed on your "
                  "invitation."),
    "bad_code": ("Dieser Einladungscode ist ungültig oder wurde schon verwendet. Bitte prüfen "
                 "Sie die Schreibweise, zum Beispiel 0 (Null) und O.",
                 "Der Code stimmt nicht. Oder er wurde schon benutzt. Bitte prüfen Sie den Code.",
                 "This invitation code is not valid or has already been used. Please check how "
                 "it is written."),
    "invalid_en": ("This link is not valid or no longer active.",) * 3,
    "closed_en": ("This survey has ended. Thank you for your interest!",) * 3,
    "draft_en": ("This survey has not started yet. Please come back later!",) * 3,
}

PRIVACY: Mapping[str, tuple[str, ...]] = {
    "de": (
        "Die Teilnahme ist freiwillig und anonym. Sie können jede Frage auslassen und jederzeit "
        "aufhören.",
        "Gespeichert werden: Ihre Bewertungen und Kommentare, das gewählte Gebiet, das Datum "
        "und – nur wenn Sie möchten – Altersgruppe, Geschlecht und Ihr Bezug zum Ort.",
        "Nicht gespeichert werden: Name, Kontaktdaten, Standort Ihres Geräts und Ihre "
        "IP-Adresse. Zum Schutz vor Missbrauch zählt die App höchstens eine Stunde lang im "
        "Arbeitsspeicher, wie viele Fragebögen von einem Internetanschluss kommen; "
        "gespeichert wird diese Adresse nie. Es gibt keine Cookies zur Wiedererkennung.",
        "Ergebnisse werden nur zusammengefasst gezeigt, für ein Gebiet erst ab {min_n} "
        "Antworten. Kommentare lesen nur Mitarbeitende der Stadtplanung. Sehr schnell oder "
        "gleichförmig ausgefüllte Fragebögen werden geprüft, bevor sie mitzählen.",
    ),
    "plain": (
        "Sie müssen nicht mitmachen. Niemand erfährt, wer Sie sind. Sie können Fragen "
        "auslassen. Sie können jederzeit aufhören.",
        "Wir speichern: Ihre Punkte. Ihre Kommentare. Das Viertel. Das Datum. Und wenn Sie "
        "wollen: Ihr Alter und Ihr Geschlecht.",
        "Wir speichern nicht: Ihren Namen. Ihre Adresse. Wo Ihr Handy ist. Die Nummer von "
        "Ihrem Internet-Anschluss. Die Nummer zählen wir nur eine Stunde lang. So schützen "
        "wir die Umfrage vor Betrug. Dann vergessen wir die Nummer.",
        "Wir zeigen nur Ergebnisse von vielen Menschen zusammen. Mindestens {min_n} Menschen. "
        "Ihre Kommentare lesen nur Menschen von der Stadt-Planung.",
    ),
    "en": (
        "Taking part is voluntary and anonymous. You can skip any question and stop at any "
        "time.",
        "We store: your ratings and comments, the area you chose, the date and – only if you "
        "wish – age band, gender and your relation to the place.",
        "We do not store: your name, contact details, your device's location or your IP "
        "address. To prevent misuse the app counts, in memory and for one hour at most, how "
        "many forms come from one internet connection; that address is never stored. There "
        "are no cookies that recognise you.",
        "Results are only shown in summary, for an area only from {min_n} responses. Comments "
        "are read only by city planning staff. Forms filled in very fast or uniformly are "
        "checked before they count.",
    ),
}
CONTACT: Mapping[str, str] = {"de": "Fragen zum Datenschutz: {contact}",
                              "plain": "Fragen zu Ihren Daten? Fragen Sie: {contact}",
                              "en": "Questions about privacy: {contact}"}
DEFAULT_CONTACT: Mapping[str, str] = {"de": "die Stadtverwaltung",
                                      "plain": "die Stadt-Verwaltung",
                                      "en": "the city administration"}


def text(key: str, lang: str, **fmt: object) -> str:
    de, plain, en = TEXTS[key]
    chosen = {"plain": plain, "en": en}.get(lang, de)
    return chosen.format(**fmt) if fmt else chosen


def privacy(lang: str, min_n: int, contact: str) -> tuple[tuple[str, ...], str]:
    """The privacy notice's paragraphs and its contact line in ``lang``."""
    lang = lang if lang in PRIVACY else "de"
    who = contact.strip() or DEFAULT_CONTACT[lang]
    return (tuple(p.format(min_n=min_n) for p in PRIVACY[lang]),
            CONTACT[lang].format(contact=who))
