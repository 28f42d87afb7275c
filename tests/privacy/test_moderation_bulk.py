"""Bulk loading writes the comments' moderation state (one for all, or one per comment) on
both engines (SQLite executemany, PostgreSQL COPY) and refuses unknown states; the demo city
releases its closed wave's comments and leaves the open wave's last week, with three planted
comments carrying personal data, in the moderation queue."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import Actor
from stadtraum.collect.bulk import BulkBatch, insert_batch
from stadtraum.criteria import DEFAULT_CATALOGUE, get_catalogue
from stadtraum.demo.loader import PLANTED, WAVES, load_demo
from stadtraum.privacy.moderation_queue import comment_counts, moderation_queue
from tests.helpers import make_city


def _batch(campaign_id: int, area_id: int, **kw: object) -> BulkBatch:
    n = 3
    ids = get_catalogue(DEFAULT_CATALOGUE).ids
    return BulkBatch(campaign_id=campaign_id, area_ids=np.full(n, area_id),
                     mode=np.zeros(n, dtype=np.int8), age=np.full(n, -1),
                     gender=np.full(n, -1), relation=np.full(n, -1),
                     survey_date=np.full(n, np.datetime64("2026-05-04", "D")),
                     scores=np.full((n, len(ids)), 4, dtype=np.uint8), criteria=ids,
                     comments=[(0, 0, "good", "eins"), (1, 0, "better", "zwei"),
                               (2, 1, "good", "drei")], **kw)  # type: ignore[arg-type]


def _states(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {str(t): str(s) for t, s in conn.execute(text("SELECT text, status FROM "
                                                              "comments"))}


def test_bulk_writes_the_states(engine: Engine) -> None:
    city = make_city(engine)
    area = city.area_ids["Q1"]
    insert_batch(engine, _batch(city.campaign_id, area))
    assert _states(engine) == {"eins": "new", "zwei": "new", "drei": "new"}
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM comments"))
    insert_batch(engine, _batch(city.campaign_id, area, comment_status="released",
                                uuid_seed=1))
    assert set(_states(engine).values()) == {"released"}
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM comments"))
    insert_batch(engine, _batch(city.campaign_id, area, uuid_seed=2,
                                comment_statuses=["released", "new", "hidden"]))
    assert _states(engine) == {"eins": "released", "zwei": "new", "drei": "hidden"}


@pytest.mark.parametrize("kw", [{"comment_status": "gelöscht"},
                                {"comment_statuses": ["new"]},
                                {"comment_statuses": ["new", "new", "frei"]}])
def test_bulk_refuses_bad_states_before_writing(engine: Engine, kw: dict[str, object]) -> None:
    city = make_city(engine)
    with pytest.raises(ValueError, match="comment status"):
        insert_batch(engine, _batch(city.campaign_id, city.area_ids["Q1"], **kw))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM responses")).scalar_one() == 0


def test_the_demo_has_a_queue(engine: Engine) -> None:
    load_demo(engine, n_responses=3000)
    counts = {c.campaign: c for c in comment_counts(engine, actor=Actor("m", "moderator"))}
    closed, current = counts[WAVES[0][0]], counts[WAVES[1][0]]
    assert closed.new == 0 and closed.released > 20 and closed.hidden == 0
    assert 3 < current.new < current.released
    queue = moderation_queue(engine, actor=Actor("m", "moderator"),
                             campaign_id=current.campaign_id, limit=200)
    planted = {i.text: i for i in queue.items if i.text in {t for _, _, t in PLANTED}}
    assert len(planted) == 3
    kinds = {i.text: sorted(m.kind for m in i.marks) for i in planted.values()}
    assert sorted(kinds.values()) == [["address", "name"], ["address", "name"],
                                      ["email", "phone"]]
