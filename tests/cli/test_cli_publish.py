"""``stadtraum results publish --campaign ID`` on a real SQLite file: publishes the snapshot
behind every public figure; a second run right after changes nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stadtraum.publish.service import published_area
from stadtraum.store.db import PublishedCell
from stadtraum.store.engine import make_engine
from tests.helpers import run_cli as run


def test_publish_then_publish_again(capsys: pytest.CaptureFixture[str], db: str) -> None:
    assert run(capsys, "--db", db, "demo", "--responses", "600")[0] == 0
    code, out, err = run(capsys, "--db", db, "results", "publish", "--campaign", "2")
    assert (code, err) == (0, "")
    shown, total, updated = map(int, re.search(
        r"veröffentlicht: (\d+) von (\d+) Werten öffentlich, (\d+) geändert", out).groups())
    assert 0 < shown < total and updated > 0
    code, out, _ = run(capsys, "--db", db, "results", "publish", "--campaign", "2")
    assert code == 0 and ", 0 geändert" in out
    engine = make_engine(db)
    with Session(engine) as session:
        level, code = session.execute(select(PublishedCell.level, PublishedCell.area_code)
                                      .where(PublishedCell.campaign_id == 2)).first()
    public = published_area(engine, 2, level, code)
    engine.dispose()
    assert public is not None and len(public.values) == 14


def test_results_without_a_level_is_a_german_usage_error(capsys: pytest.CaptureFixture[str],
                                                         db: str) -> None:
    assert run(capsys, "--db", db, "init")[0] == 0
    code, _, err = run(capsys, "--db", db, "results", "--campaign", "1")
    assert code != 0 and "Gebietsebene" in err
