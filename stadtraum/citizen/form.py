"""The citizens' anonymous online form as a step-wise wizard state (pure: no database, no
Streamlit).

Steps: welcome (language, privacy notice, consent), area, one per criterion, about-you
(optional demographics). The response UUID is fixed when the form object is created; the
clock starts when the citizen consents (:meth:`CitizenForm.start`). On the first send the
payload and the elapsed time are frozen, so a resend (double tap, dropped connection) sends
exactly the same content and is judged by the same plausibility flags.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from stadtraum.collect.interview import payload_from_dict, payload_to_dict
from stadtraum.collect.payload import CommentIn, ResponsePayload
from stadtraum.criteria import Catalogue

WELCOME, AREA, ABOUT = "welcome", "area", "about"
NO_ANSWER = 0  # "keine Angabe" as chosen in the form; never stored as a rating
LANGS = ("de", "plain", "en")  # Deutsch, Leichte Sprache, English
MODE = "online"


@dataclass
class CitizenForm:
    campaign_id: int
    response_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    lang: str = "de"
    step: int = 0
    consent: bool = False
    started_at: float | None = None  # server clock (Unix seconds) at consent
    started_on: str | None = None  # ISO date at consent
    area_code: str | None = None
    ratings: dict[str, int] = field(default_factory=dict)  # 0 = keine Angabe
    comments: dict[str, dict[str, str]] = field(default_factory=dict)  # crit -> kind -> text
    age_band: str | None = None
    gender: str | None = None
    relation: str | None = None
    frozen_payload: dict[str, Any] | None = None
    frozen_seconds: float | None = None
    sent: bool = False
    flagged: bool = False
    invitation_code: str | None = None  # normalised, checked; used up by the send

    @staticmethod
    def steps(catalogue: Catalogue) -> list[str]:
        return [WELCOME, AREA, *catalogue.ids, ABOUT]

    def current(self, catalogue: Catalogue) -> str:
        steps = self.steps(catalogue)
        return steps[min(self.step, len(steps) - 1)]

    def is_last(self, catalogue: Catalogue) -> bool:
        return self.step >= len(self.steps(catalogue)) - 1

    @property
    def started(self) -> bool:
        return self.started_at is not None

    def start(self, now: float, today: dt.date) -> None:
        """The citizen has consented: the clock starts, the form moves to the area step."""
        if not self.consent:
            raise ValueError("the form starts only after consent")
        if self.started_at is None:
            self.started_at, self.started_on = now, today.isoformat()
        self.step = max(self.step, 1)

    def missing(self, catalogue: Catalogue) -> str | None:
        """A code for what blocks going on from the current step, else None:
        "consent", "area" or "rating" (the last step needs at least one rating)."""
        here = self.current(catalogue)
        if here == WELCOME and not self.consent:
            return "consent"
        if here == AREA and not self.area_code:
            return "area"
        if here == ABOUT and not any(self.ratings.values()):
            return "rating"
        return None

    def go(self, delta: int, catalogue: Catalogue) -> None:
        if self.frozen or (delta > 0 and (not self.started or self.missing(catalogue))):
            return  # the welcome step is left only by start(), i.e. with consent
        self.step = max(1 if self.started else 0,
                        min(self.step + delta, len(self.steps(catalogue)) - 1))

    def answered(self) -> dict[str, int]:
        return {c: s for c, s in self.ratings.items() if s != NO_ANSWER}

    def payload(self) -> ResponsePayload:
        if self.frozen_payload is not None:
            return payload_from_dict(self.frozen_payload)
        return ResponsePayload(
            response_id=self.response_id, campaign_id=self.campaign_id, mode=MODE,
            area_code=self.area_code, ratings=self.answered(),
            comments=tuple(CommentIn(c, kind, text) for c, kinds in sorted(self.comments.items())
                           for kind, text in sorted(kinds.items()) if text.strip()),
            age_band=self.age_band, gender=self.gender, relation=self.relation,
            survey_date=dt.date.fromisoformat(self.started_on) if self.started_on else None)

    def freeze(self, now: float) -> tuple[ResponsePayload, float]:
        """Fix payload and elapsed seconds on the first send; later sends get the same."""
        if self.frozen_payload is None:
            self.frozen_payload = payload_to_dict(self.payload())
            self.frozen_seconds = max(0.0, now - (self.started_at or now))
        return payload_from_dict(self.frozen_payload), float(self.frozen_seconds or 0.0)

    @property
    def frozen(self) -> bool:
        return self.frozen_payload is not None
