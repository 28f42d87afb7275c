"""One-time invitation codes, on SQLite and PostgreSQL: the code format, generation (hash
only, audited, admins only), the switch, and the send that consumes a code exactly once, even
when two sends race with the same code."""

from __future__ import annotations

import datetime as dt
import math
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from stadtraum.accounts.permissions import SYSTEM, Actor
from stadtraum.citizen.form import NO_ANSWER, CitizenForm
from stadtraum.citizen.invitations import (
    ALPHABET,
    GROUP,
    GROUPS,
    InvitationCodeError,
    check_code,
    code_digest,
    generate_codes,
    invitation_status,
    invitation_url,
    new_code,
    normalise_code,
    set_codes_required,
)
from stadtraum.citizen.public_link import campaign_for_token
from stadtraum.citizen.rate_limit import RateLimitedError, SlidingWindowLimiter
from stadtraum.citizen.service import OnlineLimits, enter_code, send_form
from stadtraum.criteria import get_catalogue
from stadtraum.errors import PermissionDeniedError, ValidationError
from tests.helpers import City, count_rows, make_city

IDS = get_catalogue().ids
VARIED = [5, 3, 4, 6, 2, 7, 5, 4, 3, 6, 5, 2, 4, NO_ANSWER]
ADMIN = Actor("ada", "admin")
T0 = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC).timestamp()


@pytest.mark.parametrize(("typed", "code"), [
    ("ABCD-EFGH-JKMN", "ABCD-EFGH-JKMN"),
    ("abcd efgh jkmn", "ABCD-EFGH-JKMN"),
    (" abcdefghjkmn ", "ABCD-EFGH-JKMN"),
    ("O0I1-L234-5678", "0011-1234-5678"),  # O read as 0, I and L as 1
    ("ABCD-EFGH-JKM", None),                # too short
    ("ABCD-EFGH-JKMNP", None),              # too long
    ("ABCD-EFGH-JKMU", None),               # U is not in the alphabet
    ("ABCD-EFGH-JKM!", None),
    ("", None),
    (None, None),
    (12345, None),
])
def test_normalise_code(typed: object, code: str | None) -> None:
    assert normalise_code(typed) == code


def test_new_codes_have_sixty_bits_in_groups_of_four() -> None:
    assert len(set(ALPHABET)) == 32 and not set("ILOU") & set(ALPHABET)
    assert GROUP * GROUPS * math.log2(len(ALPHABET)) == 60 >= 40
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert [len(g) for g in code.split("-")] == [4, 4, 4]
        assert normalise_code(code) == code and normalise_code(code.lower()) == code
    assert code_digest("abcd efgh jkmn") == code_digest("ABCD-EFGH-JKMN")
    with pytest.raises(ValueError):
        code_digest("nope")


def test_invitation_url_carries_token_and_code() -> None:
    assert invitation_url("https://x.de/", "tok_en-123456789012", "ABCD-EFGH-JKMN") == \
        "https://x.de/?t=tok_en-123456789012&c=ABCD-EFGH-JKMN"


@pytest.fixture
def city(engine: Engine) -> City:
    return make_city(engine, min_n=2)


def _limits(starts: int = 100) -> OnlineLimits:
    return OnlineLimits(SlidingWindowLimiter(starts, 3600), SlidingWindowLimiter(100, 3600))


def _form(city: City, code: str | None = None) -> CitizenForm:
    form = CitizenForm(campaign_id=city.campaign_id, consent=True)
    form.start(T0 - 600, dt.date(2025, 6, 2))
    form.area_code, form.ratings = "Q1", dict(zip(IDS, VARIED, strict=True))
    form.invitation_code = code
    return form


def _send(engine: Engine, form: CitizenForm, address: str = "a") -> bool:
    return send_form(engine, form, _limits(), address, min_seconds_per_answer=2,
                     now=T0).result.created


def test_generated_codes_are_stored_as_hashes_only_and_audited(engine: Engine,
                                                               city: City) -> None:
    codes = generate_codes(engine, city.campaign_id, 25, actor=ADMIN)
    assert len(set(codes)) == 25
    more = generate_codes(engine, city.campaign_id, 5, actor=SYSTEM)
    assert not set(more) & set(codes)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT code_hash, batch, used FROM invitation_codes")).all()
        dump = " ".join(str(v) for row in conn.execute(text(
            "SELECT * FROM invitation_codes")).all() for v in row)
        log = conn.execute(text("SELECT actor, action, object_id, detail FROM audit_log "
                                "WHERE action LIKE 'invitations%' ORDER BY id")).all()
    assert len(stored) == 30 and {b for _, b, _ in stored} == {1, 2}
    assert {h for h, _, _ in stored} == {code_digest(c) for c in codes + more}
    assert not any(c in dump or c.replace("-", "") in dump for c in codes)  # no clear text
    assert [(a, act, oid) for a, act, oid, _ in log] == [
        ("ada", "invitations_generate", str(city.campaign_id)),
        ("kommandozeile", "invitations_generate", str(city.campaign_id))]
    assert '"count": 25' in log[0][3] and codes[0] not in log[0][3]
    assert invitation_status(engine, city.campaign_id).total == 30
    with pytest.raises(ValidationError):
        generate_codes(engine, city.campaign_id, 0, actor=ADMIN)


@pytest.mark.parametrize("role", ["helper", "moderator", "planner"])
def test_only_admins_manage_codes(engine: Engine, city: City, role: str) -> None:
    who = Actor("x", role)
    with pytest.raises(PermissionDeniedError):
        generate_codes(engine, city.campaign_id, 3, actor=who)
    with pytest.raises(PermissionDeniedError):
        set_codes_required(engine, city.campaign_id, True, actor=who)
    assert count_rows(engine, "invitation_codes") == 0
    assert not invitation_status(engine, city.campaign_id).required


def test_the_switch_is_audited_and_shown_to_the_form(engine: Engine, city: City) -> None:
    token = "tok-" + "x" * 20
    with engine.begin() as conn:
        conn.execute(text("UPDATE campaigns SET public_token = :t, public_enabled = :on"),
                      {"t": token, "on": True})
    assert not campaign_for_token(engine, token).codes_required
    set_codes_required(engine, city.campaign_id, True, actor=ADMIN)
    set_codes_required(engine, city.campaign_id, True, actor=ADMIN)  # a repeat: no change
    assert campaign_for_token(engine, token).codes_required
    set_codes_required(engine, city.campaign_id, False, actor=ADMIN)
    with engine.connect() as conn:
        actions = conn.execute(text("SELECT action FROM audit_log WHERE action LIKE "
                                    "'invitations%' ORDER BY id")).scalars().all()
    assert actions == ["invitations_required_on", "invitations_required_off"]


def test_a_code_is_needed_valid_and_used_once(engine: Engine, city: City) -> None:
    [code, other] = generate_codes(engine, city.campaign_id, 2, actor=ADMIN)
    set_codes_required(engine, city.campaign_id, True, actor=ADMIN)
    with pytest.raises(InvitationCodeError) as missing:
        _send(engine, _form(city))
    assert "brauchen Sie einen Einladungscode" in missing.value.message_de
    with pytest.raises(InvitationCodeError) as unknown:
        _send(engine, _form(city, "ZZZZ-ZZZZ-ZZZZ"))
    assert count_rows(engine, "responses") == 0
    first = _form(city, code.lower())
    assert _send(engine, first)
    assert not _send(engine, first)  # a resend of the same response: fine, nothing new
    with pytest.raises(InvitationCodeError) as used:
        _send(engine, _form(city, code))
    # a used code and an unknown one get the same message: it does not tell which it was
    assert used.value.message_de == unknown.value.message_de
    assert "ungültig oder wurde schon verwendet" in used.value.message_de
    assert count_rows(engine, "responses") == 1
    assert invitation_status(engine, city.campaign_id).used == 1
    assert _send(engine, _form(city, other))
    assert count_rows(engine, "invitation_codes", "used") == 2


def test_codes_are_ignored_while_not_required(engine: Engine, city: City) -> None:
    [code] = generate_codes(engine, city.campaign_id, 1, actor=ADMIN)
    assert _send(engine, _form(city)) and _send(engine, _form(city, "nonsense"))
    assert _send(engine, _form(city, code))
    assert count_rows(engine, "invitation_codes", "used") == 0


def test_entering_a_code_checks_without_using_and_wrong_guesses_are_limited(
        engine: Engine, city: City) -> None:
    [code] = generate_codes(engine, city.campaign_id, 1, actor=ADMIN)
    limits = _limits(starts=3)
    form = CitizenForm(campaign_id=city.campaign_id)
    enter_code(engine, form, limits, "a", code.replace("-", " ").lower())
    assert form.invitation_code == code
    assert check_code(engine, city.campaign_id, code) == code  # still unused
    for guess in ("AAAA-AAAA-AAAA", "nope", "BBBB-BBBB-BBBB"):
        with pytest.raises(InvitationCodeError):
            enter_code(engine, form, limits, "a", guess)
    assert form.invitation_code is None
    with pytest.raises(RateLimitedError):  # three wrong guesses used up the budget
        enter_code(engine, form, limits, "a", code)
    enter_code(engine, form, limits, "b", code)  # another address is not affected


def _race(engine: Engine, forms: list[CitizenForm]) -> list[str]:
    """Send the forms at the same moment from different addresses: "stored" or the message."""
    barrier = threading.Barrier(len(forms))
    outcomes: list[str] = []

    def one(form: CitizenForm, address: str) -> None:
        barrier.wait()
        try:
            _send(engine, form, address)
            outcomes.append("stored")
        except InvitationCodeError as exc:
            outcomes.append(exc.message_de)

    threads = [threading.Thread(target=one, args=(f, str(i))) for i, f in enumerate(forms)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return sorted(outcomes)


@pytest.mark.parametrize("second_area", ["Q1", "Q3"])  # Q3: no shared burst lock between them
def test_two_sends_with_the_same_code_at_once_store_exactly_one(
        engine: Engine, city: City, second_area: str) -> None:
    [code] = generate_codes(engine, city.campaign_id, 1, actor=ADMIN)
    set_codes_required(engine, city.campaign_id, True, actor=ADMIN)
    forms = [_form(city, code), _form(city, code)]
    forms[1].area_code = second_area
    refused, stored = _race(engine, forms)
    assert stored == "stored"
    assert "ungültig oder wurde schon verwendet" in refused
    assert count_rows(engine, "responses") == 1
    assert count_rows(engine, "invitation_codes", "used") == 1
