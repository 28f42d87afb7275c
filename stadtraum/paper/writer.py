"""Writing the checked forms of one paper import, all in the caller's one transaction.

A paper import is all or nothing: if the database fails midway (disk full, connection lost)
the transaction is rolled back and no form of the file is stored, so "nichts importiert" is
true and the same file can simply be imported again. The rows are the payloads that
:mod:`stadtraum.paper.rows` validated; each is inserted ``ON CONFLICT DO NOTHING`` on its
response id, so a form that another import stored meanwhile counts as unchanged (same
content) or as a conflict (other content), exactly as in
:func:`stadtraum.collect.submit.submit_response`. The change counter moves once per import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from stadtraum.collect.payload import content_hash
from stadtraum.errors import ValidationError
from stadtraum.paper.rows import PaperRow
from stadtraum.store.changes import next_change_seq
from stadtraum.store.db import Area, Campaign, Comment, Priority, Rating, Response


@dataclass
class Written:
    created: int = 0
    unchanged: int = 0  # stored meanwhile by another import with the same content
    raced: list[PaperRow] = field(default_factory=list)  # ... with other content


def store_forms(session: Session, campaign_id: int, rows: Sequence[PaperRow],
                today: dt.date) -> Written:
    """Insert ``rows`` (new forms of an open campaign) in ``session``'s transaction."""
    out = Written()
    if not rows:
        return out
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.status != "open":
        raise ValidationError("Die Befragung ist nicht (mehr) geöffnet; nichts importiert.",
                              "campaign not open at write time", field="campaign")
    area_ids = {str(code): int(area_id) for code, area_id in session.execute(
        select(Area.code, Area.id).where(Area.level_id == campaign.level_id))}
    dialect = session.get_bind().dialect.name
    ins = postgresql.insert(Response) if dialect == "postgresql" else sqlite.insert(Response)
    seq = next_change_seq(session)
    ratings: list[dict[str, object]] = []
    comments: list[dict[str, object]] = []
    priorities: list[dict[str, object]] = []
    for row in rows:
        p = row.payload
        if p.area_code not in area_ids:
            raise ValidationError(f"Zeile {row.row}: Gebiet „{p.area_code}“ gibt es in dieser "
                                  "Befragung nicht mehr; nichts importiert.",
                                  f"row {row.row}: area {p.area_code!r} vanished", field="area")
        digest = content_hash(p)
        row_id = session.execute(ins.values(
            uuid=p.response_id, campaign_id=p.campaign_id, area_id=area_ids[p.area_code],
            mode=p.mode, entered_by=p.entered_by, survey_date=p.survey_date or today,
            age_band=p.age_band, gender=p.gender, relation=p.relation, lon=p.lon, lat=p.lat,
            group_id=p.group_id, participants=p.participants, version=1, status="valid",
            content_hash=digest, change_seq=seq,
        ).on_conflict_do_nothing(index_elements=["uuid"]).returning(Response.id)).scalar()
        if row_id is None:  # another import stored this form after our check
            stored = session.scalar(select(Response.content_hash)
                                    .where(Response.uuid == p.response_id))
            if stored == digest:
                out.unchanged += 1
            else:
                out.raced.append(row)
            continue
        out.created += 1
        ratings += [{"response_id": row_id, "criterion_id": cid, "score": s}
                    for cid, s in p.ratings.items()]
        comments += [{"response_id": row_id, "criterion_id": c.criterion_id, "kind": c.kind,
                      "text": c.text} for c in p.comments]
        priorities += [{"response_id": row_id, "rank": i, "criterion_id": cid}
                       for i, cid in enumerate(p.priorities, start=1)]
    for model, values in ((Rating, ratings), (Comment, comments), (Priority, priorities)):
        if values:
            session.execute(insert(model), values)
    return out

