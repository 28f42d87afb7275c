"""Fixed vocabularies of a response: mode, demographics, status, comment kinds.

Each vocabulary is a tuple of stable codes (stored in the database and used as small integer
indices in the statistics engine, position = index) with German and English labels.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Vocabulary:
    name: str
    codes: tuple[str, ...]
    labels_de: tuple[str, ...]
    labels_en: tuple[str, ...]

    def index(self, code: str) -> int:
        return self.codes.index(code)

    def label(self, code: str, lang: str = "de") -> str:
        labels = self.labels_en if lang == "en" else self.labels_de
        return labels[self.codes.index(code)]


MODES = Vocabulary(
    "mode",
    ("street", "focus_group", "paper", "online"),
    ("Straßenbefragung", "Fokusgruppe", "Papierbogen", "Online"),
    ("street survey", "focus group", "paper form", "online"),
)
# Survey statistics leave focus groups out unless a filter names that mode (DESIGN §3.3).
SURVEY_MODES = ("street", "paper", "online")

# The filters' category for a personal question left unanswered (stored as NULL; not the
# answer "keine Angabe" of the gender question, which is a code of its own).
NOT_GIVEN = "none"
NOT_GIVEN_LABELS = {"de": "ohne Angabe", "en": "not given"}

AGE_BANDS = Vocabulary(
    "age_band",
    ("u18", "18_29", "30_44", "45_64", "65plus"),
    ("unter 18", "18–29", "30–44", "45–64", "65 und älter"),
    ("under 18", "18–29", "30–44", "45–64", "65 and over"),
)

GENDERS = Vocabulary(
    "gender",
    ("female", "male", "diverse", "no_answer"),
    ("weiblich", "männlich", "divers", "keine Angabe"),
    ("female", "male", "diverse", "prefer not to say"),
)

RELATIONS = Vocabulary(
    "relation",
    ("live", "work", "both", "visit"),
    ("wohne hier", "arbeite hier", "beides", "zu Besuch"),
    ("live here", "work here", "both", "visiting"),
)

STATUSES = Vocabulary(
    "status",
    ("valid", "voided", "flagged", "superseded"),
    ("gültig", "verworfen", "markiert", "ersetzt"),
    ("valid", "voided", "flagged", "superseded"),
)

COMMENT_KINDS = Vocabulary(
    "comment_kind",
    ("good", "better"),
    ("Was ist hier gut?", "Was könnte besser werden?"),
    ("What is good here?", "What could be better?"),
)

# a comment's moderation state: new comments wait in the moderators' queue; planners, exports
# and reports see released ones only (DESIGN §3.3)
COMMENT_STATUSES = Vocabulary(
    "comment_status",
    ("new", "released", "hidden"),
    ("neu", "freigegeben", "ausgeblendet"),
    ("new", "released", "hidden"),
)

CAMPAIGN_STATUSES = Vocabulary(
    "campaign_status",
    ("draft", "open", "closed"),
    ("Entwurf", "offen", "abgeschlossen"),
    ("draft", "open", "closed"),
)

ROLES = Vocabulary(
    "role",
    ("helper", "moderator", "planner", "admin"),
    ("Erfasser*in", "Moderator*in", "Planer*in", "Admin"),
    ("helper", "moderator", "planner", "admin"),
)

MAX_PRIORITIES = 3
