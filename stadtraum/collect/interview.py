"""The street interview as a step-wise wizard state (pure: no database, no Streamlit).

The state is saved as a draft at every step. Steps: area, consent, one per criterion,
priorities, about-you, review. Once a send has been tried, :meth:`Interview.freeze` fixes the
payload; a resend uses exactly that payload, so a retry can never turn into a conflict.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from stadtraum.collect.payload import CommentIn, ResponsePayload
from stadtraum.criteria import Catalogue

AREA, CONSENT, PRIORITIES, ABOUT, REVIEW = "area", "consent", "priorities", "about", "review"
NO_ANSWER = 0  # "keine Angabe" as chosen in the wizard; not stored as a rating


@dataclass
class Interview:
    campaign_id: int
    entered_by: str
    response_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    step: int = 0
    area_code: str | None = None
    consent: bool = False
    ratings: dict[str, int] = field(default_factory=dict)  # 0 = keine Angabe
    comments: dict[str, dict[str, str]] = field(default_factory=dict)  # crit -> kind -> text
    priorities: list[str] = field(default_factory=list)
    age_band: str | None = None
    gender: str | None = None
    relation: str | None = None
    started_on: str = field(default_factory=lambda: dt.date.today().isoformat())
    replaces: str | None = None  # a correction: the response this new version replaces
    frozen_payload: dict[str, Any] | None = None

    def is_blank(self) -> bool:
        """Nothing entered yet beyond, at most, the area on the first step (often carried
        over from the last interview): not worth a draft, which would only pile up as
        "unterbrochen" on the start page. "Weiter" makes it worth one."""
        return (self.step == 0 and not self.consent and not self.ratings
                and not any(t for kinds in self.comments.values() for t in kinds.values())
                and not self.priorities and self.age_band is None and self.gender is None
                and self.relation is None and self.replaces is None
                and self.frozen_payload is None)

    # ------------------------------------------------------------------ steps
    @staticmethod
    def steps(catalogue: Catalogue) -> list[str]:
        return [AREA, CONSENT, *catalogue.ids, PRIORITIES, ABOUT, REVIEW]

    def current(self, catalogue: Catalogue) -> str:
        steps = self.steps(catalogue)
        return steps[min(self.step, len(steps) - 1)]

    def can_advance(self, catalogue: Catalogue) -> str | None:
        """None when the current step is complete, else a German reason."""
        here = self.current(catalogue)
        if here == AREA and not self.area_code:
            return "Bitte zuerst das Gebiet wählen."
        if here == CONSENT and not self.consent:
            return "Ohne Einwilligung kann die Befragung nicht beginnen."
        if here == REVIEW and not any(v for v in self.ratings.values()):
            return "Mindestens ein Thema muss bewertet sein."
        return None

    def advance(self, catalogue: Catalogue) -> None:
        if self.can_advance(catalogue) is None:
            self.step = min(self.step + 1, len(self.steps(catalogue)) - 1)

    def back(self) -> None:
        self.step = max(0, self.step - 1)

    # ------------------------------------------------------------------ payload
    def payload(self) -> ResponsePayload:
        if self.frozen_payload is not None:
            return payload_from_dict(self.frozen_payload)
        return ResponsePayload(
            response_id=self.response_id, campaign_id=self.campaign_id, mode="street",
            area_code=self.area_code,
            ratings={c: s for c, s in self.ratings.items() if s != NO_ANSWER},
            comments=tuple(CommentIn(c, kind, text) for c, kinds in self.comments.items()
                           for kind, text in sorted(kinds.items()) if text.strip()),
            priorities=tuple(self.priorities), age_band=self.age_band, gender=self.gender,
            relation=self.relation, survey_date=dt.date.fromisoformat(self.started_on),
            entered_by=self.entered_by, replaces=self.replaces)

    def freeze(self) -> ResponsePayload:
        """Fix the payload on the first send; later sends return the same payload."""
        if self.frozen_payload is None:
            self.frozen_payload = payload_to_dict(self.payload())
        return payload_from_dict(self.frozen_payload)

    @property
    def frozen(self) -> bool:
        return self.frozen_payload is not None

    # ------------------------------------------------------------------ storage
    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Interview:
        return cls(**json.loads(text))


def payload_to_dict(p: ResponsePayload) -> dict[str, Any]:
    d = asdict(p)
    d["ratings"] = dict(p.ratings)
    d["comments"] = [[c.criterion_id, c.kind, c.text] for c in p.comments]
    d["priorities"] = list(p.priorities)
    d["survey_date"] = None if p.survey_date is None else p.survey_date.isoformat()
    d["extra"] = dict(p.extra)
    return d


def payload_from_dict(d: dict[str, Any]) -> ResponsePayload:
    d = dict(d)
    d["comments"] = tuple(CommentIn(*c) for c in d["comments"])
    d["priorities"] = tuple(d["priorities"])
    if d.get("survey_date"):
        d["survey_date"] = dt.date.fromisoformat(d["survey_date"])
    return ResponsePayload(**d)
