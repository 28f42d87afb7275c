"""The permission table itself (pure); every use case's own check is tested with it in
tests/accounts/test_use_case_permissions.py."""

from __future__ import annotations

import pytest

from stadtraum.accounts.permissions import PERMISSIONS, SYSTEM, Actor, may, require
from stadtraum.errors import PermissionDeniedError
from stadtraum.vocab import ROLES

EXPECTED = {  # action -> roles, written out again so a change to the table is deliberate
    "accounts.manage": {"admin"},
    "campaigns.manage": {"admin"},
    "areas.import": {"admin"},
    "catalogues.manage": {"admin"},
    "responses.export": {"admin"},
    "responses.review": {"admin"},
    "responses.collect": {"helper", "moderator", "admin"},
    "paper.import": {"helper", "moderator", "admin"},
    "focus.run": {"moderator", "admin"},
    "results.view": {"planner", "moderator", "admin"},
    "results.publish": {"admin"},
    "audit.read": {"admin"},
    "fieldwork.view": {"moderator", "admin"},
    "fieldwork.helpers": {"admin"},
    "settings.manage": {"admin"},
    "responses.delete": {"admin"},
    "comments.moderate": {"moderator", "admin"},
    "comments.original": {"admin"},
    "results.export": {"planner", "admin"},
}


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES.codes)
def test_each_role_may_exactly_what_the_table_says(role: str, action: str) -> None:
    actor = Actor("jemand", role)
    allowed = role in EXPECTED[action]
    assert may(actor, action) is allowed
    if allowed:
        require(actor, action)
    else:
        with pytest.raises(PermissionDeniedError) as err:
            require(actor, action)
        assert "darf nicht" in err.value.message_de and ROLES.label(role) in err.value.message_de


def test_table_and_expectation_name_the_same_actions() -> None:
    assert set(PERMISSIONS) == set(EXPECTED)


def test_system_actor_may_everything_and_nobody_may_an_unknown_action() -> None:
    assert all(may(SYSTEM, action) for action in PERMISSIONS)
    assert not may(SYSTEM, "gibt.es.nicht")
    with pytest.raises(ValueError, match="unknown action"):
        require(SYSTEM, "gibt.es.nicht")


def test_nobody_signed_in_may_nothing() -> None:
    assert not any(may(None, action) for action in PERMISSIONS)
    with pytest.raises(PermissionDeniedError) as err:
        require(None, "results.view")
    assert "anmelden" in err.value.message_de


def test_an_unknown_role_may_nothing() -> None:
    assert not any(may(Actor("x", "superuser"), action) for action in PERMISSIONS)
