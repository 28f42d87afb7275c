"""Interview drafts untouched for N days (default 7) are deleted, audited with the count."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import Actor
from stadtraum.collect.drafts import save_draft
from stadtraum.collect.interview import Interview
from stadtraum.errors import PermissionDeniedError, ValidationError
from stadtraum.privacy.drafts_expiry import expire_drafts
from stadtraum.store.db import AuditEntry, InterviewDraft
from tests.helpers import count_rows, make_city

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
ADMIN = Actor("anna", "admin")


def make_drafts(engine: Engine, campaign_id: int, now: dt.datetime,
                ages_days: Sequence[float]) -> list[str]:
    """One helper's drafts, last saved ``ages_days`` days before ``now``."""
    helper = Actor("hugo", "helper")
    ids = []
    for age in ages_days:
        iv = Interview(campaign_id=campaign_id, entered_by="hugo")
        iv.comments = {"moving_around": {"good": "Frau Müller von nebenan"}}
        save_draft(engine, iv, actor=helper)
        with Session(engine) as session, session.begin():
            session.execute(update(InterviewDraft)
                            .where(InterviewDraft.response_uuid == iv.response_id)
                            .values(updated_at=now - dt.timedelta(days=age)))
        ids.append(iv.response_id)
    return ids


def test_drafts_older_than_seven_days_go(engine: Engine) -> None:
    city = make_city(engine)
    ids = make_drafts(engine, city.campaign_id, NOW, (0.5, 6.99, 7.01, 40))
    assert expire_drafts(engine, actor=ADMIN, now=NOW) == 2
    with Session(engine) as session:
        left = set(session.scalars(select(InterviewDraft.response_uuid)))
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "expire_drafts")).one()
    assert left == set(ids[:2])
    assert json.loads(entry.detail or "{}") == {"count": 2, "days": 7}
    assert (entry.actor, entry.object_type) == ("anna", "interview_draft")
    assert expire_drafts(engine, days=1, actor=ADMIN, now=NOW) == 1
    assert expire_drafts(engine, days=1, actor=ADMIN, now=NOW) == 0
    assert count_rows(engine, "audit_log", "action = 'expire_drafts'") == 3


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_a_bad_number_of_days_is_a_german_error(engine: Engine, days: int) -> None:
    city = make_city(engine)
    make_drafts(engine, city.campaign_id, NOW, (30,))
    with pytest.raises(ValidationError) as err:
        expire_drafts(engine, days=days, actor=ADMIN, now=NOW)
    assert "Frist für Entwürfe" in err.value.message_de
    assert count_rows(engine, "interview_drafts") == 1


@pytest.mark.parametrize("role", ["planner", "moderator", "helper"])
def test_only_admins_expire_drafts(engine: Engine, role: str) -> None:
    city = make_city(engine)
    make_drafts(engine, city.campaign_id, NOW, (30,))
    with pytest.raises(PermissionDeniedError):
        expire_drafts(engine, actor=Actor("x", role), now=NOW)
    assert count_rows(engine, "interview_drafts") == 1
    assert count_rows(engine, "audit_log", "action = 'expire_drafts'") == 0
