"""A small city for the report tests: two waves, hostile names and comments, a logo.

Quarters Q1, Q2, Q3 (squares in a row: Q2 touches Q1 and Q3), districts D1 = Q1 + Q2 and
D2 = Q3; min_n = 3. Wave 1 (campaign ``earlier``): three responses per quarter. Wave 2
(campaign ``later``, reported on): Q1 four, Q2 five, Q3 three responses; ``housing`` is
rated in Q2 only twice, so it is suppressed there (and, secondarily, elsewhere).

Q2's name carries an XSS payload. Its comments: one released with a payload, one released
and redacted (the original must never show), one hidden and one still new (neither may
show).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM
from stadtraum.admin.city_settings import update_city_settings
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.collect.submit import submit_response
from stadtraum.publish.service import publish_results
from stadtraum.store.db import Area
from stadtraum.store.db_privacy import Comment
from stadtraum.store.engine import write_engine
from tests.helpers import add_campaign, make_city, make_payload

PAYLOAD_NAME = 'Q2 </style><script>alert(1)</script>"><svg onload=alert(2)>'
XSS_COMMENT = '<img src=x onerror=alert(3)> </style><script>alert(4)</script> "><svg onload=x>'
REDACTED_ORIGINAL = "Herr Geheimname wohnt hier"
REDACTED_SHOWN = "Herr [entfernt] wohnt hier"
HIDDEN_COMMENT = "versteckter Kommentar 4711"
NEW_COMMENT = "noch nicht moderiert 0815"
CITY_NAME = "Musterstadt an der Ruhr"

WAVE1 = {code: [{"moving_around": 3, "feeling_safe": 4, "housing": 4}] * 3
         for code in ("Q1", "Q2", "Q3")}
WAVE2 = {
    "Q1": [{"moving_around": s, "feeling_safe": 5, "housing": 3} for s in (4, 5, 6, 5)],
    "Q2": [{"moving_around": s, "feeling_safe": 6} for s in (6, 7, 6)]
    + [{"moving_around": 5, "feeling_safe": 7, "housing": 2},
       {"moving_around": 7, "feeling_safe": 6, "housing": 3}],
    "Q3": [{"moving_around": 2, "feeling_safe": 3, "housing": 5}] * 3,
}


@dataclass(frozen=True)
class ReportCity:
    earlier: int
    later: int
    logo: bytes


def logo_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (60, 30), (200, 30, 40)).save(buf, format="PNG")
    return buf.getvalue()


def _set_comments(engine: Engine) -> None:
    with Session(write_engine(engine)) as session, session.begin():
        for c in session.query(Comment):
            if c.text == HIDDEN_COMMENT:
                c.status, c.hidden_reason = "hidden", "Beleidigung"
            elif c.text == REDACTED_ORIGINAL:
                c.status, c.shown_text = "released", REDACTED_SHOWN
            elif c.text != NEW_COMMENT:
                c.status = "released"


def build_report_city(engine: Engine, *, publish: bool = True) -> ReportCity:
    city = make_city(engine, min_n=3, campaign="Befragung 2024")
    later = add_campaign(engine, city, "Befragung 2026", min_n=3)
    for code, rows in WAVE1.items():
        for ratings in rows:
            submit_response(engine, make_payload(city.campaign_id, code, ratings))
    comments = iter([
        [("moving_around", "better", XSS_COMMENT)],
        [("feeling_safe", "good", REDACTED_ORIGINAL)],
        [("feeling_safe", "good", HIDDEN_COMMENT)],
        [("housing", "better", NEW_COMMENT)],
    ])
    for code, rows in WAVE2.items():
        for ratings in rows:
            extra = next(comments, []) if code == "Q2" else []
            submit_response(engine, make_payload(later, code, ratings,
                                                 priorities=("moving_around",),
                                                 comments=extra))
    _set_comments(engine)
    with Session(write_engine(engine)) as session, session.begin():
        session.execute(update(Area).where(Area.code == "Q2").values(name=PAYLOAD_NAME))
    logo = logo_png()
    update_city_settings(engine, {"city_name": CITY_NAME, "logo": logo},
                         {"city_name": None, "logo": None}, actor=SYSTEM)
    if publish:
        provider = CubeProvider(engine)
        for cid in (city.campaign_id, later):
            publish_results(engine, provider, cid, actor=SYSTEM)
    return ReportCity(city.campaign_id, later, logo)
