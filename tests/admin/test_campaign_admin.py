"""The campaigns page's use cases on SQLite and PostgreSQL: create, edit the settings, open,
close (and what closing changes), reopen; every rule refuses with the field named and stores
nothing; a stale row version is a conflict, not an overwrite; each change is audited in its
own transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.admin.campaign_settings import CampaignSettings, update_settings
from stadtraum.admin.campaigns import (
    CampaignRow,
    close_campaign,
    closing_summary,
    create_campaign,
    list_campaign_rows,
    open_campaign,
    reopen_campaign,
    set_campaign_status,
    setting_choices,
)
from stadtraum.citizen.invitations import generate_codes
from stadtraum.citizen.public_link import enable_public_link
from stadtraum.collect.drafts import save_draft
from stadtraum.collect.interview import Interview
from stadtraum.collect.submit import submit_response
from stadtraum.criteria import DEFAULT_CATALOGUE
from stadtraum.errors import ValidationError
from stadtraum.store.campaigns import StaleCampaignError, area_targets
from stadtraum.store.db import AreaLevel, AuditEntry, Campaign, CampaignTarget
from stadtraum.store.engine import write_engine
from tests.helpers import City, change_counter, count_rows, make_city, make_payload

ADA, BEA = Actor("ada", "admin"), Actor("bea", "admin")


@pytest.fixture
def city(engine: Engine) -> City:
    return make_city(engine)


def _row(engine: Engine, cid: int) -> CampaignRow:
    return next(r for r in list_campaign_rows(engine, actor=ADA) if r.id == cid)


def _campaign(engine: Engine, cid: int) -> Campaign:
    with Session(engine) as session:
        c = session.get(Campaign, cid)
        assert c is not None
        session.expunge(c)
        return c


def _audit(engine: Engine, cid: int) -> list[tuple[str | None, str, dict[str, object]]]:
    with Session(engine) as session:
        return [(e.actor, e.action, json.loads(e.detail or "{}")) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "campaign",
                                     AuditEntry.object_id == str(cid))
            .order_by(AuditEntry.id))]


def _new(engine: Engine, city: City, **kwargs: object) -> int:
    args: dict[str, object] = {"name": "Welle 2027", "level_id": city.quarter_level_id,
                               "catalogue_id": DEFAULT_CATALOGUE, "actor": ADA}
    args.update(kwargs)
    return create_campaign(engine, **args)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- create


def test_create_a_draft_with_default_min_n_every_mode_and_no_target(engine: Engine,
                                                                    city: City) -> None:
    cid = _new(engine, city)
    row = _row(engine, cid)
    assert (row.status, row.min_n, row.allowed_modes, row.default_target, row.version) == \
        ("draft", 5, ("street", "focus_group", "paper", "online"), None, 1)
    assert (row.level_name, row.boundary_set, row.n_areas) == ("Quartier", "Teststadt", 3)
    [(actor, action, detail)] = _audit(engine, cid)
    assert (actor, action, detail["name"], detail["min_n"]) == ("ada", "create", "Welle 2027", 5)


@pytest.mark.parametrize(("kwargs", "field", "german"), [
    ({"min_n": 2}, "min_n", "Die Mindestzahl je Zelle muss eine ganze Zahl von 3 bis 100"),
    ({"min_n": 0}, "min_n", "von 3 bis 100 sein (nicht „0“)"),
    ({"min_n": 101}, "min_n", "von 3 bis 100"),
    ({"allowed_modes": ()}, "allowed_modes", "Bitte mindestens eine Erhebungsart erlauben"),
    ({"allowed_modes": ("street", "telepathy")}, "allowed_modes", "Unbekannte Erhebungsart"),
    ({"starts_on": dt.date(2027, 6, 2), "ends_on": dt.date(2027, 6, 1)}, "ends_on",
     "Das Ende (01.06.2027) liegt vor dem Beginn (02.06.2027)."),
    ({"name": "   "}, "name", "Bitte einen Namen"),
    ({"name": "x" * 201}, "name", "Der Name ist zu lang (201 Zeichen, höchstens 200)."),
    ({"name": "Befragung 2025"}, "name", "Eine Befragung „Befragung 2025“ gibt es schon"),
    ({"catalogue_id": "gibtsnicht"}, "catalogue_id", "Kriterienkatalog „gibtsnicht“ gibt es "
     "nicht"),
    ({"level_id": 999}, "level_id", "Die Gebietsebene 999 gibt es nicht."),
    ({"default_target": 0}, "default_target", "ganze Zahl von 1 bis 100.000"),
    ({"default_target": -5}, "default_target", "nicht „-5“"),
    ({"default_target": 100_001}, "default_target", "von 1 bis 100.000"),
])
def test_create_refuses_bad_settings_naming_the_field(engine: Engine, city: City,
                                                       kwargs: dict[str, object], field: str,
                                                       german: str) -> None:
    before = count_rows(engine, "campaigns"), count_rows(engine, "audit_log")
    with pytest.raises(ValidationError) as err:
        _new(engine, city, **kwargs)
    assert err.value.field == field
    assert german in err.value.message_de
    assert err.value.message_en != err.value.message_de  # an English sentence for the UI
    assert (count_rows(engine, "campaigns"), count_rows(engine, "audit_log")) == before


def test_min_n_three_is_the_floor(engine: Engine, city: City) -> None:
    assert _row(engine, _new(engine, city, min_n=3)).min_n == 3


def test_the_choices_offer_every_catalogue_and_level(engine: Engine, city: City) -> None:
    choices = setting_choices(engine, actor=ADA)
    assert DEFAULT_CATALOGUE in choices.catalogues
    assert {lv.name for lv in choices.levels} == {"Stadtbezirk", "Quartier"}


# ----------------------------------------------------------------------------- settings


def test_settings_change_bumps_the_version_and_audits_old_and_new(engine: Engine,
                                                                  city: City) -> None:
    row = _row(engine, city.campaign_id)
    seq = change_counter(engine)
    new = dataclasses.replace(row.settings, name="Welle 2025 (Ost)", min_n=7,
                              allowed_modes=("street", "paper"), default_target=30,
                              starts_on=dt.date(2025, 5, 1), ends_on=dt.date(2025, 6, 30))
    changed = update_settings(engine, row.id, new, actor=ADA, expected_version=row.version)
    assert set(changed) == {"name", "min_n", "allowed_modes", "default_target", "starts_on",
                            "ends_on"}
    after = _row(engine, row.id)
    assert (after.name, after.min_n, after.allowed_modes, after.default_target,
            after.version) == ("Welle 2025 (Ost)", 7, ("street", "paper"), 30, row.version + 1)
    assert change_counter(engine) > seq  # min_n matters to cached views
    actor, action, detail = _audit(engine, row.id)[-1]
    assert (actor, action) == ("ada", "settings")
    assert detail["min_n"] == {"old": 5, "new": 7}
    assert detail["allowed_modes"] == {"old": "street,focus_group,paper,online",
                                       "new": "street,paper"}
    with Session(engine) as session:
        assert area_targets(session, row.id) == {"Q1": 30, "Q2": 30, "Q3": 30}


def test_unchanged_settings_write_nothing(engine: Engine, city: City) -> None:
    row = _row(engine, city.campaign_id)
    audit_rows = count_rows(engine, "audit_log")
    assert update_settings(engine, row.id, row.settings, actor=ADA,
                           expected_version=row.version) == []
    assert count_rows(engine, "audit_log") == audit_rows
    assert _row(engine, row.id).version == row.version


def test_a_stale_version_is_a_conflict_not_an_overwrite(engine: Engine, city: City) -> None:
    row = _row(engine, city.campaign_id)  # ada's form
    update_settings(engine, row.id, dataclasses.replace(row.settings, min_n=9), actor=BEA,
                    expected_version=row.version)  # bea saves first
    audit_rows = count_rows(engine, "audit_log")
    with pytest.raises(StaleCampaignError) as err:
        update_settings(engine, row.id, dataclasses.replace(row.settings, min_n=6), actor=ADA,
                        expected_version=row.version)
    assert "inzwischen von jemand anderem geändert" in err.value.message_de
    assert "changed by someone else" in err.value.message_en
    assert _row(engine, row.id).min_n == 9
    assert count_rows(engine, "audit_log") == audit_rows
    with pytest.raises(StaleCampaignError):  # a status change from the old page too
        close_campaign(engine, row.id, actor=ADA, expected_version=row.version)
    assert _row(engine, row.id).status == "open"


def test_min_n_two_is_refused_when_editing(engine: Engine, city: City) -> None:
    row = _row(engine, city.campaign_id)
    with pytest.raises(ValidationError) as err:
        update_settings(engine, row.id, dataclasses.replace(row.settings, min_n=2), actor=ADA)
    assert err.value.field == "min_n"
    assert _row(engine, row.id) == row


def test_a_name_of_another_campaign_is_refused(engine: Engine, city: City) -> None:
    other = _new(engine, city)
    row = _row(engine, other)
    with pytest.raises(ValidationError) as err:
        update_settings(engine, other, dataclasses.replace(row.settings,
                                                           name=" Befragung 2025 "), actor=ADA)
    assert err.value.field == "name" and "gibt es schon" in err.value.message_de


def _set_targets(engine: Engine, cid: int, pairs: dict[str, int]) -> None:
    from stadtraum.admin.campaign_targets import set_area_targets

    csv = "code;target\n" + "".join(f"{c};{t}\n" for c, t in pairs.items())
    set_area_targets(engine, cid, csv.encode(), "ziele.csv", actor=ADA)


def test_level_and_catalogue_change_only_without_responses(engine: Engine, city: City) -> None:
    row = _row(engine, city.campaign_id)
    _set_targets(engine, row.id, {"Q1": 12})
    row = _row(engine, row.id)
    changed = update_settings(engine, row.id, dataclasses.replace(
        row.settings, level_id=city.district_level_id), actor=ADA, expected_version=row.version)
    assert changed == ["level_id"]
    assert count_rows(engine, "campaign_targets") == 0  # they belonged to the old level
    assert _audit(engine, row.id)[-1][2]["area_targets_removed"] == 1
    row = _row(engine, row.id)
    update_settings(engine, row.id, dataclasses.replace(row.settings,
                    level_id=city.quarter_level_id), actor=ADA)
    submit_response(engine, make_payload(row.id))
    row = _row(engine, row.id)
    for change, field in (({"level_id": city.district_level_id}, "level_id"),
                          ({"catalogue_id": "stadtraummonitor14_klima"}, "catalogue_id")):
        with pytest.raises(ValidationError) as err:
            update_settings(engine, row.id, dataclasses.replace(row.settings, **change),
                            actor=ADA)
        assert err.value.field == field
        assert "schon 1 Antworten" in err.value.message_de
    assert _row(engine, row.id) == row


def test_a_closed_campaign_keeps_its_boundary_set(engine: Engine, city: City) -> None:
    close_campaign(engine, city.campaign_id, actor=ADA)
    row = _row(engine, city.campaign_id)
    with pytest.raises(ValidationError) as err:
        update_settings(engine, row.id, dataclasses.replace(
            row.settings, level_id=city.district_level_id), actor=ADA)
    assert err.value.field == "level_id" and "behält die Gebietsebene" in err.value.message_de
    # its other settings may still change (a typo in the name, a later min_n)
    assert update_settings(engine, row.id, dataclasses.replace(row.settings, min_n=6),
                           actor=ADA) == ["min_n"]


# ------------------------------------------------------------------------------- status


def test_open_close_reopen_each_audited(engine: Engine, city: City) -> None:
    cid = _new(engine, city)
    seq = change_counter(engine)
    open_campaign(engine, cid, actor=ADA, expected_version=1)
    assert change_counter(engine) > seq
    close_campaign(engine, cid, actor=ADA, expected_version=2)
    reopen_campaign(engine, cid, actor=ADA, expected_version=3)
    assert _row(engine, cid).status == "open" and _row(engine, cid).version == 4
    assert [(a, d["old"], d["new"]) for _, a, d in _audit(engine, cid)[1:]] == [
        ("open", "draft", "open"), ("close", "open", "closed"), ("reopen", "closed", "open")]


@pytest.mark.parametrize(("call", "german"), [
    (reopen_campaign, "wieder öffnen geht nur bei Status „abgeschlossen“"),
    (open_campaign, "öffnen geht nur bei Status „Entwurf“"),
])
def test_a_step_from_the_wrong_status_is_refused(engine: Engine, city: City, call: object,
                                                 german: str) -> None:
    with pytest.raises(ValidationError) as err:
        call(engine, city.campaign_id, actor=ADA)  # type: ignore[operator]
    assert err.value.field == "status" and german in err.value.message_de
    assert _row(engine, city.campaign_id).status == "open"


def test_a_level_without_areas_cannot_be_opened(engine: Engine, city: City) -> None:
    with Session(write_engine(engine)) as session, session.begin():
        empty = AreaLevel(boundary_set_id=city.boundary_set_id, name="Baublock", rank=2)
        session.add(empty)
        session.flush()
        level_id = empty.id
    cid = _new(engine, city, level_id=level_id)
    with pytest.raises(ValidationError) as err:
        open_campaign(engine, cid, actor=ADA)
    assert err.value.field == "level_id" and "hat keine Gebiete" in err.value.message_de
    assert _row(engine, cid).status == "draft"


def test_the_command_line_status_goes_through_the_same_rules(engine: Engine,
                                                             city: City) -> None:
    cid = _new(engine, city)
    assert set_campaign_status(engine, cid, "open", actor=SYSTEM)
    assert not set_campaign_status(engine, cid, "open", actor=SYSTEM)  # already
    assert set_campaign_status(engine, cid, "closed", actor=SYSTEM)
    assert set_campaign_status(engine, cid, "open", actor=SYSTEM)  # reopened
    assert [a for _, a, _ in _audit(engine, cid)] == ["create", "open", "close", "reopen"]
    submit_response(engine, make_payload(cid))
    with pytest.raises(ValidationError) as err:
        set_campaign_status(engine, cid, "draft", actor=SYSTEM)
    assert "zurück in den Entwurf" in err.value.message_de


def test_the_closing_summary_counts_what_closing_changes(engine: Engine, city: City) -> None:
    cid = city.campaign_id
    for mode in ("street", "street", "paper", "online"):
        submit_response(engine, make_payload(cid, mode=mode))
    save_draft(engine, Interview(campaign_id=cid, entered_by="erika", area_code="Q1",
                                 consent=True, ratings={"moving_around": 5}), actor=SYSTEM)
    enable_public_link(engine, cid, actor=ADA)
    generate_codes(engine, cid, 7, actor=ADA)
    s = closing_summary(engine, cid, actor=ADA)
    assert (s.total, s.responses["street"], s.responses["paper"], s.responses["online"],
            s.responses["focus_group"]) == (4, 2, 1, 1, 0)
    assert (s.drafts, s.public_link_on, s.unused_codes, s.focus_groups) == (1, True, 7, 0)
    assert s.version == _row(engine, cid).version
    close_campaign(engine, cid, actor=ADA, expected_version=s.version)
    with pytest.raises(ValidationError):  # closed: no more responses
        submit_response(engine, make_payload(cid))


def test_every_campaign_is_listed_newest_first(engine: Engine, city: City) -> None:
    second = _new(engine, city)
    assert [r.id for r in list_campaign_rows(engine, actor=ADA)] == [second, city.campaign_id]
    with Session(engine) as session:
        assert session.scalar(select(CampaignTarget)) is None
    assert isinstance(_row(engine, second).settings, CampaignSettings)
