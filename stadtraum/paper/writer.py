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
from stadtraum.collect.submit import child_rows, comment_status_of, response_values
from stadtraum.errors import ValidationError
from stadtraum.paper.rows import PaperRow
from stadtraum.store.campaigns import require_mode
from stadtraum.store.changes import next_change_seq
from stadtraum.store.db import Area, Campaign, Comment, Priority, Rating, Response
from stadtraum.store.tombstones import DELETED_DE, deleted_among


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
    require_mode(campaign, "paper")
    area_ids = {str(code): int(area_id) for code, area_id in session.execute(
        select(Area.code, Area.id).where(Area.level_id == campaign.level_id))}
    dialect = session.get_bind().dialect.name
    ins = postgresql.insert(Response) if dialect == "postgresql" else sqlite.insert(Response)
    deleted = deleted_among(session, [row.payload.response_id for row in rows])
    for row in rows:
        if row.payload.response_id in deleted:
            raise ValidationError(f"Zeile {row.row}: {DELETED_DE} Nichts importiert.",
                                  f"row {row.row}: form was deleted on request", field="form")
    status = comment_status_of(campaign)
    seq = next_change_seq(session)
    batches: tuple[list[dict[str, object]], ...] = ([], [], [])  # ratings, comments, priorities
    for row in rows:
        p = row.payload
        if p.area_code not in area_ids:
            raise ValidationError(f"Zeile {row.row}: Gebiet „{p.area_code}“ gibt es in dieser "
                                  "Befragung nicht mehr; nichts importiert.",
                                  f"row {row.row}: area {p.area_code!r} vanished", field="area")
        digest = content_hash(p)
        row_id = session.execute(ins.values(
            **response_values(p, area_ids[p.area_code], digest, seq, today),
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
        for batch, new in zip(batches, child_rows(int(row_id), p, status), strict=True):
            batch += new
    for model, values in zip((Rating, Comment, Priority), batches, strict=True):
        if values:
            session.execute(insert(model), values)
    return out

