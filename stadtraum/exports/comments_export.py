"""Use case: the moderated comments of a campaign as CSV (planners and admins,
``results.export``), audited as ``export_comments``.

The comments come from :func:`stadtraum.analysis.comments.area_comments` for the whole city
under the campaign's survey view, so the export holds exactly what planners see there:
released comments only, redacted where a moderator redacted them. Never in open data.
Every text cell is neutralised against spreadsheet formulas; UTF-8 with BOM.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor, require
from stadtraum.analysis.comments import MAX_PAGE_SIZE, CommentQuery, area_comments
from stadtraum.analysis.cube import CubeFilter
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.analysis.results import CITY_CODE, compute_results
from stadtraum.errors import ValidationError
from stadtraum.exports.results_files import NUMBER_FORMATS, csvw_metadata
from stadtraum.exports.results_table import ExportMeta, filter_text
from stadtraum.exports.spreadsheet import safe_frame
from stadtraum.store.audit import audit
from stadtraum.store.campaigns import find_campaign
from stadtraum.store.engine import write_engine

__all__ = ["COLUMN_TITLES", "COMMENT_COLUMNS", "CommentsFile", "export_comments"]

COMMENT_COLUMNS = {"area": "gebiet", "criterion_id": "kriterium_id", "criterion": "kriterium",
                   "kind": "art", "text": "kommentar", "survey_date": "datum"}


COLUMN_TITLES = {"gebiet": "Gebietsname", "kriterium_id": "Kriterium (Kennung)",
                 "kriterium": "Kriterium", "art": "Art (gut / besser)",
                 "kommentar": "Kommentar (freigegeben)", "datum": "Befragungsdatum"}


@dataclass(frozen=True)
class CommentsFile:
    name: str
    data: bytes
    rows: int
    sidecar: tuple[str, bytes]  # the CSVW metadata file (name, bytes)
    media_type: str = "text/csv"


def export_comments(engine: Engine, provider: CubeProvider, campaign_id: int, *, actor: Actor,
                    numbers: str = "de", now: dt.datetime | None = None) -> CommentsFile:
    """Every comment planners see for campaign ``campaign_id`` (all areas), one per row."""
    require(actor, "results.export")
    if numbers not in NUMBER_FORMATS:
        raise ValidationError(f"Unbekanntes Zahlenformat „{numbers}“ (möglich: de, intl).",
                              f"unknown number format {numbers!r}", field="numbers")
    with Session(engine) as session:
        name = find_campaign(session, campaign_id).name
    flt = CubeFilter(campaign_ids=(campaign_id,))
    results = compute_results(engine, provider, flt)
    pages: list[pd.DataFrame] = []
    page, total = 1, 1
    while page <= total:
        got = area_comments(engine, results, CITY_CODE,
                            CommentQuery(page=page, page_size=MAX_PAGE_SIZE))
        pages.append(got.frame)
        total = max(1, math.ceil(got.total / MAX_PAGE_SIZE))
        page += 1
    frame = pd.concat(pages, ignore_index=True)[list(COMMENT_COLUMNS)].rename(
        columns=COMMENT_COLUMNS)
    frame["datum"] = frame["datum"].map(lambda d: d.isoformat() if d is not None else "")
    now = now or dt.datetime.now(dt.UTC)
    sep = NUMBER_FORMATS[numbers][0]
    body = safe_frame(frame).to_csv(index=False, sep=sep, lineterminator="\r\n")
    file_name = f"kommentare_{campaign_id}_{now:%Y-%m-%d}.csv"
    meta = ExportMeta(((campaign_id, name),), filter_text(flt), results.min_n, now, (),
                      extra={"Inhalt": "freigegebene Kommentare (geschwärzt, wo die Moderation "
                             "geschwärzt hat); ausgeblendete und ungeprüfte fehlen"})
    sidecar = csvw_metadata(meta, file_name, numbers, title="Kommentare",
                            columns=COLUMN_TITLES)
    with Session(write_engine(engine)) as session, session.begin():
        audit(session, actor.name, "export_comments", "campaign", campaign_id,
              rows=len(frame), filter=filter_text(flt))
    return CommentsFile(file_name, b"\xef\xbb\xbf" + body.encode("utf-8"), len(frame),
                        (f"{file_name}-metadata.json", sidecar))
