"""Every use case that changes or exports data checks its actor itself (issue 9, item 6).

A table of (use case, set-up, call, action): each use case is called by every role and by the
command line's system actor, on SQLite and on PostgreSQL. A role without the permission gets
:class:`PermissionDeniedError` and nothing in the database changes (every table compared
before and after, the audit log included); a role with it succeeds. A second test reads the
library and fails for a public function that writes the audit log or takes an ``actor``
without calling ``require`` (or being listed below with a reason).
"""

from __future__ import annotations

import ast
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from stadtraum.accounts.admin_ops import (
    change_role,
    create_account,
    list_accounts,
    reactivate_user,
    reset_password,
    set_email,
)
from stadtraum.accounts.permissions import PERMISSIONS, SYSTEM, Actor, may
from stadtraum.accounts.users import (
    create_user,
    deactivate_user,
    end_sessions,
    set_password,
    unlock_sign_in,
)
from stadtraum.admin.audit_log import audit_csv_text, audit_entries, audit_kinds, audit_people
from stadtraum.admin.boundaries import import_boundaries, inspect_upload, list_boundary_sets
from stadtraum.admin.boundaries import import_streets as import_street_directory
from stadtraum.admin.campaign_burst import BurstControls, burst_status, set_burst_controls
from stadtraum.admin.campaign_settings import CampaignSettings, update_settings
from stadtraum.admin.campaign_targets import (
    area_target_rows,
    clear_area_targets,
    set_area_targets,
    targets_template,
)
from stadtraum.admin.campaigns import (
    close_campaign,
    closing_summary,
    create_campaign,
    list_campaign_rows,
    open_campaign,
    reopen_campaign,
    set_campaign_status,
    setting_choices,
)
from stadtraum.admin.catalogues import (
    add_catalogue,
    catalogue_source,
    check_upload,
    copy_catalogue,
    delete_catalogue,
    list_catalogues,
    replace_catalogue,
)
from stadtraum.admin.city_settings import (
    reset_city_setting,
    resolve_city_settings,
    update_city_settings,
)
from stadtraum.admin.fieldwork import dashboard, helpers_today, open_campaigns
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.citizen.flagged import accept_flagged, reject_flagged
from stadtraum.citizen.public_link import (
    disable_public_link,
    enable_public_link,
    rotate_public_token,
)
from stadtraum.collect.drafts import discard_draft, save_draft, send_interview
from stadtraum.collect.interview import Interview
from stadtraum.collect.my_interviews import correction_of
from stadtraum.collect.status import void_response
from stadtraum.collect.submit import submit_response
from stadtraum.config import GERMANY_BBOX, Region, Settings
from stadtraum.criteria import DEFAULT_CATALOGUE
from stadtraum.errors import NotFoundError, PermissionDeniedError
from stadtraum.exports.responses import (
    ExportPlan,
    export_csv_text,
    plan_export,
    record_export,
    write_responses_csv,
)
from stadtraum.focus.ratings import clear_consensus, save_consensus, save_grid
from stadtraum.focus.sessions import open_session, save_notes
from stadtraum.geo.area_import import import_areas
from stadtraum.geo.streets import import_streets
from stadtraum.paper.importer import import_paper
from stadtraum.publish.service import publish_results
from stadtraum.store.db import Base
from stadtraum.vocab import ROLES
from tests.geo.builders import frame, square, write
from tests.helpers import City, add_campaign, make_city, make_payload, set_status
from tests.paper_files import csv_bytes, form

ROOT = Path(__file__).resolve().parents[2]
PW = "Ein-langes-Passwort-1"
NEW_PW = "Ein-neues-Passwort-2"
ACTORS = [Actor(f"{role}.konto", role) for role in ROLES.codes] + [SYSTEM]
TARGET = "ziel.konto"  # the account the account use cases act on
MOVING = "moving_around"


@dataclass
class World:
    """A prepared database: a tiny city with an open campaign, and what each set-up adds."""

    engine: Engine
    city: City
    tmp: Path
    ids: dict[str, str] = field(default_factory=dict)  # name -> response uuid / group id


Step = Callable[[World, Actor], object]


def _nothing(w: World, a: Actor) -> None:
    return None


def _target_account(w: World, a: Actor) -> None:
    create_user(w.engine, TARGET, "helper", PW, actor=SYSTEM)
    create_user(w.engine, "zweit.admin", "admin", PW, actor=SYSTEM)  # not the last admin


def _inactive_target(w: World, a: Actor) -> None:
    _target_account(w, a)
    deactivate_user(w.engine, TARGET, actor=SYSTEM)


def _own_account(w: World, a: Actor) -> None:
    create_user(w.engine, a.name, a.role if a.role in ROLES.codes else "admin", PW,
                actor=SYSTEM)


def _public_link_on(w: World, a: Actor) -> None:
    enable_public_link(w.engine, w.city.campaign_id, actor=SYSTEM)
    w.ids["second"] = str(add_campaign(w.engine, w.city, "Zweite Befragung"))


def _flagged(w: World, a: Actor) -> None:
    p = make_payload(w.city.campaign_id, mode="online", entered_by=None)
    submit_response(w.engine, p)
    set_status(w.engine, p.response_id, "flagged")
    w.ids["flagged"] = p.response_id


def _own_response(w: World, a: Actor) -> None:
    p = make_payload(w.city.campaign_id, entered_by=a.name)
    submit_response(w.engine, p)
    w.ids["own"] = p.response_id


def _interview(w: World, a: Actor) -> Interview:
    return Interview(campaign_id=w.city.campaign_id, entered_by=a.name, area_code="Q1",
                     consent=True, ratings={MOVING: 5})


def _draft(w: World, a: Actor) -> None:
    iv = _interview(w, a)
    save_draft(w.engine, iv, actor=SYSTEM)
    w.ids["draft"] = iv.response_id


def _groups(w: World, a: Actor) -> None:
    for key in ("group", "with_consensus"):
        info = open_session(w.engine, campaign_id=w.city.campaign_id, area_code="Q1",
                            title=f"Runde {key}", actor=Actor(a.name, "admin"))
        w.ids[key] = info.id
    save_consensus(w.engine, w.ids["with_consensus"], {MOVING: 4}, 3, actor=SYSTEM)


def _draft_campaign(w: World, a: Actor) -> None:
    w.ids["draft_campaign"] = str(add_campaign(w.engine, w.city, "Entwurf", status="draft"))


def _closed_campaign(w: World, a: Actor) -> None:
    w.ids["closed"] = str(add_campaign(w.engine, w.city, "Vorbei", status="closed"))


def _area_targets(w: World, a: Actor) -> None:
    set_area_targets(w.engine, w.city.campaign_id, b"code;target\nQ1;40\n", "z.csv",
                     actor=SYSTEM)


def _new_settings(w: World) -> CampaignSettings:
    row = next(r for r in list_campaign_rows(w.engine, actor=SYSTEM)
               if r.id == w.city.campaign_id)
    return replace(row.settings, min_n=7, allowed_modes=("street",))


def _area_file(w: World) -> Path:
    gdf = frame([square(i) for i in range(2)], code=["N1", "N2"], name=["Neu 1", "Neu 2"])
    return write(gdf, w.tmp / "neue_gebiete.gpkg")


def _catalogue_toml() -> str:
    text = (ROOT / "stadtraum" / "catalogues" / "stadtraummonitor14.toml").read_text("utf-8")
    return text.replace('id = "stadtraummonitor14"', 'id = "neuer_katalog"')


def _city_name_stored(w: World, a: Actor) -> None:
    update_city_settings(w.engine, {"city_name": "Bochum"}, {}, actor=SYSTEM)


def _stored_catalogue(w: World, a: Actor) -> None:
    add_catalogue(w.engine, _catalogue_toml(), actor=SYSTEM)


def _export(w: World, a: Actor) -> None:
    plan = plan_export(w.engine, [w.city.campaign_id], actor=SYSTEM)
    write_responses_csv(w.engine, CubeProvider(w.engine), plan, io.StringIO(), actor=a)


def _export_plan(w: World) -> ExportPlan:
    return plan_export(w.engine, [w.city.campaign_id], actor=SYSTEM)


def _paper(w: World, a: Actor, *, dry_run: bool) -> object:
    return import_paper(w.engine, csv_bytes([form(1)]), "boegen.csv", w.city.campaign_id,
                        entered_by=a.name, actor=a, dry_run=dry_run)


@dataclass(frozen=True)
class Case:
    name: str
    action: str | None  # None: every signed-in role may (e.g. one's own password)
    call: Step
    setup: Step = _nothing
    changes: bool = True  # an allowed call leaves a trace in the database


CASES = [
    Case("create_user (Admin anlegen)", "accounts.manage",
         lambda w, a: create_user(w.engine, "neu.konto", "admin", PW, actor=a)),
    Case("set_password (anderes Konto)", "accounts.manage",
         lambda w, a: set_password(w.engine, TARGET, NEW_PW, actor=a), _target_account),
    Case("set_password (eigenes Konto)", None,
         lambda w, a: set_password(w.engine, a.name, NEW_PW, actor=a), _own_account),
    Case("end_sessions", "accounts.manage",
         lambda w, a: end_sessions(w.engine, TARGET, actor=a), _target_account),
    Case("deactivate_user", "accounts.manage",
         lambda w, a: deactivate_user(w.engine, TARGET, actor=a), _target_account),
    Case("unlock_sign_in", "accounts.manage",
         lambda w, a: unlock_sign_in(w.engine, TARGET, actor=a), _target_account),
    Case("list_accounts", "accounts.manage",
         lambda w, a: list_accounts(w.engine, actor=a), _target_account, changes=False),
    Case("create_account (Einmal-Passwort)", "accounts.manage",
         lambda w, a: create_account(w.engine, "neu.konto", "helper", "neu@stadt.de",
                                     actor=a)),
    Case("change_role", "accounts.manage",
         lambda w, a: change_role(w.engine, TARGET, "planner", actor=a), _target_account),
    Case("change_role (zum Admin)", "accounts.manage",
         lambda w, a: change_role(w.engine, TARGET, "admin", actor=a), _target_account),
    Case("reset_password", "accounts.manage",
         lambda w, a: reset_password(w.engine, TARGET, actor=a), _target_account),
    Case("reactivate_user", "accounts.manage",
         lambda w, a: reactivate_user(w.engine, TARGET, actor=a), _inactive_target),
    Case("set_email", "accounts.manage",
         lambda w, a: set_email(w.engine, TARGET, "ziel@stadt.de", actor=a), _target_account),
    Case("create_campaign", "campaigns.manage",
         lambda w, a: create_campaign(w.engine, name="Neue Befragung",
                                      level_id=w.city.quarter_level_id,
                                      catalogue_id=DEFAULT_CATALOGUE, actor=a)),
    Case("set_campaign_status (schließen)", "campaigns.manage",
         lambda w, a: set_campaign_status(w.engine, w.city.campaign_id, "closed", actor=a)),
    Case("update_settings (Befragung einstellen)", "campaigns.manage",
         lambda w, a: update_settings(w.engine, w.city.campaign_id, _new_settings(w),
                                      actor=a)),
    Case("open_campaign", "campaigns.manage",
         lambda w, a: open_campaign(w.engine, int(w.ids["draft_campaign"]), actor=a),
         _draft_campaign),
    Case("close_campaign", "campaigns.manage",
         lambda w, a: close_campaign(w.engine, w.city.campaign_id, actor=a)),
    Case("reopen_campaign", "campaigns.manage",
         lambda w, a: reopen_campaign(w.engine, int(w.ids["closed"]), actor=a),
         _closed_campaign),
    Case("closing_summary", "campaigns.manage",
         lambda w, a: closing_summary(w.engine, w.city.campaign_id, actor=a), changes=False),
    Case("list_campaign_rows", "campaigns.manage",
         lambda w, a: list_campaign_rows(w.engine, actor=a), changes=False),
    Case("setting_choices", "campaigns.manage",
         lambda w, a: setting_choices(w.engine, actor=a), changes=False),
    Case("set_area_targets (Zielzahlen-Datei)", "campaigns.manage",
         lambda w, a: set_area_targets(w.engine, w.city.campaign_id, b"code;target\nQ2;9\n",
                                       "z.csv", actor=a)),
    Case("clear_area_targets", "campaigns.manage",
         lambda w, a: clear_area_targets(w.engine, w.city.campaign_id, actor=a),
         _area_targets),
    Case("area_target_rows", "campaigns.manage",
         lambda w, a: area_target_rows(w.engine, w.city.campaign_id, actor=a), changes=False),
    Case("targets_template", "campaigns.manage",
         lambda w, a: targets_template(w.engine, w.city.campaign_id, actor=a), changes=False),
    Case("set_burst_controls (Häufungserkennung)", "campaigns.manage",
         lambda w, a: set_burst_controls(w.engine, w.city.campaign_id,
                                         BurstControls(False, 3, 2), actor=a)),
    Case("burst_status", "campaigns.manage",
         lambda w, a: burst_status(w.engine, w.city.campaign_id, actor=a, with_areas=True),
         changes=False),
    Case("add_catalogue", "catalogues.manage",
         lambda w, a: add_catalogue(w.engine, _catalogue_toml(), actor=a)),
    Case("list_catalogues", "catalogues.manage",
         lambda w, a: list_catalogues(w.engine, actor=a), changes=False),
    Case("check_upload (Katalog prüfen)", "catalogues.manage",
         lambda w, a: check_upload(w.engine, _catalogue_toml().encode(), actor=a),
         changes=False),
    Case("catalogue_source", "catalogues.manage",
         lambda w, a: catalogue_source(w.engine, DEFAULT_CATALOGUE, actor=a), changes=False),
    Case("copy_catalogue", "catalogues.manage",
         lambda w, a: copy_catalogue(w.engine, DEFAULT_CATALOGUE, "kopie_katalog", actor=a)),
    Case("replace_catalogue", "catalogues.manage",
         lambda w, a: replace_catalogue(w.engine, _catalogue_toml().replace(
             "StadtRaumMonitor (14 Themen)", "Geändert"), actor=a), _stored_catalogue),
    Case("delete_catalogue", "catalogues.manage",
         lambda w, a: delete_catalogue(w.engine, "neuer_katalog", actor=a),
         _stored_catalogue),
    Case("import_areas", "areas.import",
         lambda w, a: import_areas(w.engine, _area_file(w), level="Neue Ebene",
                                   code_field="code", name_field="name",
                                   boundary_set="Neue Gliederung",
                                   settings=Settings(region=Region(*GERMANY_BBOX)), actor=a)),
    Case("import_streets", "areas.import",
         lambda w, a: import_streets(w.engine, w.city.quarter_level_id,
                                     [(2, "Hauptstraße", "Q1")], actor=a)),
    Case("inspect_upload (Gebiete ansehen)", "areas.import",
         lambda w, a: inspect_upload(_area_file(w).read_bytes(), "neue_gebiete.gpkg",
                                     settings=Settings(region=Region(*GERMANY_BBOX)),
                                     actor=a), changes=False),
    Case("import_boundaries (Gebiete hochladen)", "areas.import",
         lambda w, a: import_boundaries(w.engine, _area_file(w).read_bytes(),
                                        "neue_gebiete.gpkg", level="Neue Ebene",
                                        boundary_set="Neue Gliederung",
                                        settings=Settings(region=Region(*GERMANY_BBOX)),
                                        actor=a)),
    Case("list_boundary_sets", "areas.import",
         lambda w, a: list_boundary_sets(w.engine, actor=a), changes=False),
    Case("import_streets (Straßenverzeichnis hochladen)", "areas.import",
         lambda w, a: import_street_directory(w.engine, "strasse;gebiet\nHauptstraße;Q1\n"
                                              .encode(), "strassen.csv",
                                              level_id=w.city.quarter_level_id, actor=a)),
    Case("enable_public_link", "campaigns.manage",
         lambda w, a: enable_public_link(w.engine, int(w.ids["second"]), actor=a),
         _public_link_on),
    Case("disable_public_link", "campaigns.manage",
         lambda w, a: disable_public_link(w.engine, w.city.campaign_id, actor=a),
         _public_link_on),
    Case("rotate_public_token", "campaigns.manage",
         lambda w, a: rotate_public_token(w.engine, w.city.campaign_id, actor=a),
         _public_link_on),
    Case("accept_flagged", "responses.review",
         lambda w, a: accept_flagged(w.engine, w.ids["flagged"], actor=a), _flagged),
    Case("reject_flagged", "responses.review",
         lambda w, a: reject_flagged(w.engine, w.ids["flagged"], actor=a), _flagged),
    Case("void_response (eigene Befragung)", "responses.collect",
         lambda w, a: void_response(w.engine, w.ids["own"], "test", actor=a), _own_response),
    Case("save_draft", "responses.collect",
         lambda w, a: save_draft(w.engine, _interview(w, a), actor=a)),
    Case("discard_draft", "responses.collect",
         lambda w, a: discard_draft(w.engine, w.ids["draft"], actor=a), _draft),
    Case("send_interview", "responses.collect",
         lambda w, a: send_interview(w.engine, _interview(w, a), actor=a)),
    Case("send_interview (Korrektur der eigenen)", "responses.collect",
         lambda w, a: send_interview(w.engine, correction_of(w.engine, w.ids["own"], a.name),
                                     actor=a), _own_response),
    Case("plan_export", "responses.export",
         lambda w, a: plan_export(w.engine, [w.city.campaign_id], actor=a), changes=False),
    Case("write_responses_csv", "responses.export", _export, changes=False),
    Case("record_export", "responses.export",
         lambda w, a: record_export(w.engine, _export_plan(w), 0, actor=a)),
    Case("export_csv_text", "responses.export",
         lambda w, a: export_csv_text(w.engine, CubeProvider(w.engine), _export_plan(w),
                                      actor=a)),
    Case("import_paper", "paper.import", lambda w, a: _paper(w, a, dry_run=False)),
    Case("import_paper (Probelauf)", "paper.import", lambda w, a: _paper(w, a, dry_run=True),
         changes=False),
    Case("open_session (Fokusgruppe)", "focus.run",
         lambda w, a: open_session(w.engine, campaign_id=w.city.campaign_id, area_code="Q1",
                                   title="Abendrunde", actor=a)),
    Case("save_grid", "focus.run",
         lambda w, a: save_grid(w.engine, w.ids["group"], [{MOVING: 3}, {MOVING: 6}], actor=a),
         _groups),
    Case("save_consensus", "focus.run",
         lambda w, a: save_consensus(w.engine, w.ids["group"], {MOVING: 3}, 4, actor=a),
         _groups),
    Case("clear_consensus", "focus.run",
         lambda w, a: clear_consensus(w.engine, w.ids["with_consensus"], actor=a), _groups),
    Case("save_notes", "focus.run",
         lambda w, a: save_notes(w.engine, w.ids["group"], {MOVING: "Mehr Bänke"}, actor=a),
         _groups),
    Case("publish_results", "results.publish",
         lambda w, a: publish_results(w.engine, CubeProvider(w.engine), w.city.campaign_id,
                                      actor=a)),
    Case("audit_entries (Protokoll lesen)", "audit.read",
         lambda w, a: audit_entries(w.engine, actor=a), changes=False),
    Case("audit_kinds", "audit.read", lambda w, a: audit_kinds(w.engine, actor=a),
         changes=False),
    Case("audit_people", "audit.read", lambda w, a: audit_people(w.engine, actor=a),
         changes=False),
    Case("audit_csv_text (Protokoll herunterladen)", "audit.read",
         lambda w, a: audit_csv_text(w.engine, actor=a)),  # the download is audited
    Case("open_campaigns (Feldarbeit)", "fieldwork.view",
         lambda w, a: open_campaigns(w.engine, actor=a), changes=False),
    Case("dashboard (Feldarbeit)", "fieldwork.view",
         lambda w, a: dashboard(w.engine, CubeProvider(w.engine), w.city.campaign_id, actor=a),
         _own_response, changes=False),
    Case("helpers_today (Feldarbeit: Namen)", "fieldwork.helpers",
         lambda w, a: helpers_today(w.engine, CubeProvider(w.engine), w.city.campaign_id,
                                    actor=a), _own_response, changes=False),
    Case("update_city_settings (Einstellungen der Stadt)", "settings.manage",
         lambda w, a: update_city_settings(w.engine, {"city_name": "Herne",
                                                      "main_colour": "#0b4f6c"},
                                           {"city_name": 1}, actor=a), _city_name_stored),
    Case("reset_city_setting", "settings.manage",
         lambda w, a: reset_city_setting(w.engine, "city_name", 1, actor=a),
         _city_name_stored),
    Case("resolve_city_settings (mit Herkunft)", "settings.manage",
         lambda w, a: resolve_city_settings(w.engine, actor=a), changes=False),
]


def _snapshot(engine: Engine) -> dict[str, list[str]]:
    """Every row of every table (the audit log included), as sorted text."""
    with engine.connect() as conn:
        return {t.name: sorted(repr(tuple(r)) for r in conn.execute(select(t)))
                for t in Base.metadata.sorted_tables}


def _allowed(case: Case, actor: Actor) -> bool:
    return True if case.action is None else may(actor, case.action)


@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.role)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_use_case_checks_the_actor_itself(engine: Engine, tmp_path: Path, case: Case,
                                               actor: Actor) -> None:
    check_case(World(engine, make_city(engine), tmp_path), case, actor)


def check_case(world: World, case: Case, actor: Actor) -> None:
    """``actor`` calls ``case`` in ``world``: allowed, it changes something (unless the case
    says otherwise); refused, in German, and no table changes."""
    engine = world.engine
    case.setup(world, actor)
    before = _snapshot(engine)
    if _allowed(case, actor):
        case.call(world, actor)
        if case.changes:
            assert _snapshot(engine) != before, f"{case.name}: allowed, but nothing changed"
        return
    with pytest.raises(PermissionDeniedError) as err:
        case.call(world, actor)
    assert "darf nicht" in err.value.message_de
    after = _snapshot(engine)
    assert after == before, f"{case.name} by {actor.role}: refused, yet the database changed"


def test_the_table_covers_every_action_that_guards_a_change() -> None:
    from tests.accounts.test_use_case_permissions_privacy import CASES as PRIVACY_CASES

    used = {c.action for c in [*CASES, *PRIVACY_CASES]} - {None}
    assert used == set(PERMISSIONS) - {"results.view"}  # only reads; checked by its pages


# --------------------------------------------------------------- ownership beyond the role


def test_a_helper_may_void_or_correct_only_their_own_interviews(engine: Engine,
                                                                tmp_path: Path) -> None:
    world = World(engine, make_city(engine), tmp_path)
    otto, erika = Actor("otto", "helper"), Actor("erika", "helper")
    _own_response(world, erika)
    before = _snapshot(engine)
    with pytest.raises(NotFoundError):
        void_response(engine, world.ids["own"], "test", actor=otto)
    stolen = correction_of(engine, world.ids["own"], "erika")
    stolen.entered_by = "otto"  # a tampered session: otto sends a correction of erika's
    with pytest.raises((NotFoundError, PermissionDeniedError)):
        send_interview(engine, stolen, actor=otto)
    with pytest.raises(PermissionDeniedError):  # nor in erika's name
        send_interview(engine, correction_of(engine, world.ids["own"], "erika"), actor=otto)
    assert _snapshot(engine) == before
    void_response(engine, world.ids["own"], "test", actor=Actor("ada", "admin"))


def test_a_draft_belongs_to_the_helper_who_started_it(engine: Engine, tmp_path: Path) -> None:
    world = World(engine, make_city(engine), tmp_path)
    _draft(world, Actor("erika", "helper"))
    before = _snapshot(engine)
    otto = Actor("otto", "helper")
    discard_draft(engine, world.ids["draft"], actor=otto)  # not otto's: nothing to discard
    with pytest.raises(PermissionDeniedError):
        save_draft(engine, _interview(world, Actor("erika", "helper")), actor=otto)
    assert _snapshot(engine) == before


# ------------------------------------------------------------ no use case without a check

# Public functions that write the audit log or take an actor but do not call require(),
# each with the reason. Anything new that writes data must check or be listed here.
UNCHECKED = {
    "stadtraum.store.audit.audit": "the audit log writer itself (takes the actor's name)",
    "stadtraum.accounts.permissions.may": "the check itself",
    "stadtraum.accounts.permissions.require": "the check itself",
    "stadtraum.store.campaigns.create_campaign":
        "store primitive below accounts (the layers forbid the check there); the use case is "
        "stadtraum.admin.campaigns.create_campaign",
    "stadtraum.store.campaigns.set_campaign_status":
        "store primitive; the use case is stadtraum.admin.campaigns.set_campaign_status",
    "stadtraum.accounts.setup.create_first_admin":
        "before any account exists there is no actor; authorised by the one-time set-up code "
        "only the operator can read, and refused once any account exists",
    "stadtraum.accounts.users.authenticate":
        "the sign-in itself (audited as sign_in / sign_in_failed): there is no actor yet",
    "stadtraum.accounts.sso.sso_sign_in":
        "the single sign-on itself (audited as sign_in / sign_in_failed with method sso): the "
        "provider's verified identity is what signs in; there is no actor yet",
    "stadtraum.demo.sign_in.demo_sign_in":
        "a sign-in (audited), not a use case of a signed-in actor; only while the demo data "
        "are loaded and STADTRAUM_DEMO_SIGN_IN allows it",
}
# ... and the unchecked store primitives that only their use case may call in the library:
# (module, function) -> the use case's module.
PRIMITIVE_CALLERS = {
    ("stadtraum.store.campaigns", "create_campaign"): "stadtraum.admin.campaigns",
    ("stadtraum.store.campaigns", "set_campaign_status"): "stadtraum.admin.campaigns",
    ("stadtraum.store.catalogues", "add_catalogue"): "stadtraum.admin.catalogues",
}


def _module(path: Path, library: Path) -> str:
    parts = path.relative_to(library.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _calls(node: ast.AST) -> set[str]:
    return {c.func.id if isinstance(c.func, ast.Name) else c.func.attr
            for c in ast.walk(node) if isinstance(c, ast.Call)
            and isinstance(c.func, ast.Name | ast.Attribute)}


def unchecked_use_cases(library: Path) -> list[str]:
    """Public module-level functions that call ``audit(`` or take an ``actor`` parameter but
    never call ``require(``. Streamlit widgets (``ui``) only hand the signed-in actor on to
    a use case, so there only ``audit(`` counts."""
    found = []
    for path in sorted(library.rglob("*.py")):
        in_ui = path.relative_to(library).parts[0] == "ui"
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            params = {a.arg for a in (*node.args.args, *node.args.kwonlyargs)}
            calls = _calls(node)
            takes_actor = "actor" in params and not in_ui
            if ("audit" in calls or takes_actor) and "require" not in calls:
                found.append(f"{_module(path, library)}.{node.name}")
    return found


def test_every_use_case_that_writes_or_takes_an_actor_checks_it() -> None:
    found = unchecked_use_cases(ROOT / "stadtraum")
    assert sorted(set(found) - set(UNCHECKED)) == []
    assert sorted(set(UNCHECKED) - set(found)) == [], "stale entries in UNCHECKED"


def test_the_unchecked_store_primitives_are_called_only_by_their_use_cases() -> None:
    bad = []
    for path in sorted((ROOT / "stadtraum").rglob("*.py")):
        module = _module(path, ROOT / "stadtraum")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {(node.module, alias.name) for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) for alias in node.names}
        for (home, name), use_case in PRIMITIVE_CALLERS.items():
            if (home, name) in imported and module != use_case:
                bad.append(f"{module} imports {home}.{name} (use {use_case}.{name})")
    assert bad == []


def test_the_scan_finds_a_planted_unchecked_use_case(tmp_path: Path) -> None:
    lib = tmp_path / "stadtraum"
    (lib / "demo").mkdir(parents=True)
    (lib / "ui").mkdir()
    (lib / "ui" / "panel.py").write_text(
        "def panel(actor):\n    close_all(None, actor=actor)\n"
        "def sneaky(session, actor):\n    audit(session, actor.name, 'x', 'y', 1)\n",
        encoding="utf-8")
    (lib / "demo" / "bad.py").write_text(
        "def close_all(engine, *, actor):\n    audit(None, actor.name, 'x', 'y', 1)\n"
        "def fine(engine, *, actor):\n    require(actor, 'campaigns.manage')\n"
        "def _private(session, actor):\n    audit(session, actor, 'x', 'y', 1)\n"
        "def writes(session):\n    audit(session, None, 'x', 'y', 1)\n", encoding="utf-8")
    assert unchecked_use_cases(lib) == ["stadtraum.demo.bad.close_all",
                                        "stadtraum.demo.bad.writes",
                                        "stadtraum.ui.panel.sneaky"]
