"""Session and process state of the citizens' anonymous form: the route, the campaign behind
the token, the form in progress, the client address and the process-wide rate limiters."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import urlsplit

import streamlit as st

from stadtraum.citizen import service as citizen
from stadtraum.citizen.form import LANGS, CitizenForm
from stadtraum.citizen.invitations import CODE_PARAM, InvitationCodeError
from stadtraum.citizen.public_link import (
    PUBLIC_PATH,
    TOKEN_PARAM,
    CampaignClosedError,
    PublicCampaign,
    campaign_for_token,
)
from stadtraum.citizen.rate_limit import RateLimitedError
from stadtraum.citizen.service import OnlineLimits, SendOutcome
from stadtraum.citizen.texts import LANG_NAMES, text
from stadtraum.errors import ConflictError, NotFoundError, NotSavedError, ValidationError
from stadtraum.ui.citizen.city_texts import city_footer
from stadtraum.ui.client import address
from stadtraum.ui.state import engine, settings

FORM = "citizen_form"
ERROR = "pub_error"


def is_public_request() -> bool:
    """True for the citizens' form: a token in the URL, or the path ``/mitmachen``."""
    if st.query_params.get(TOKEN_PARAM):
        return True
    path = urlsplit(st.context.url or "").path.rstrip("/")
    return path.endswith("/" + PUBLIC_PATH)


@st.cache_resource(show_spinner=False)
def _limits(database_url: str, starts: int, submissions: int) -> OnlineLimits:
    return citizen.make_limits(settings())


def limits() -> OnlineLimits:
    """One pair of limiters per app process (and database), shared by all sessions."""
    s = settings()
    return _limits(s.database_url, s.public_max_starts_per_hour,
                   s.public_max_submissions_per_hour)


def load_campaign() -> PublicCampaign:
    """The open campaign behind the URL's token; otherwise a notice and stop."""
    token = st.query_params.get(TOKEN_PARAM)
    try:
        return campaign_for_token(engine(), token)
    except NotFoundError as exc:
        st.error(exc.message_de)
        st.caption(text("invalid_en", "en"))
    except CampaignClosedError as exc:
        st.info(exc.message_de)
        st.caption(exc.message_en if exc.status == "no_online"
                   else text("draft_en" if exc.status == "draft" else "closed_en", "en"))
    city_footer("de")  # Impressum and accessibility statement even for a wrong link
    st.stop()
    raise AssertionError("unreachable")


def form_for(campaign: PublicCampaign) -> CitizenForm:
    """The form of this browser session; a new one (new UUID) for another campaign."""
    form = st.session_state.get(FORM)
    if not isinstance(form, CitizenForm) or form.campaign_id != campaign.id:
        for key in [k for k in st.session_state if str(k).startswith("pub_")]:
            del st.session_state[key]
        form = CitizenForm(campaign_id=campaign.id)
        st.session_state[FORM] = form
    return form


def _sync_page_lang() -> None:
    # the frame declares <html lang> from the app-wide "lang" before this page runs; a
    # callback runs before the frame, so the declared language follows the choice at once
    st.session_state["lang"] = "English" if st.session_state.get("pub_lang") == "en" \
        else "Deutsch"


def choose_language(form: CitizenForm) -> str:
    picked = st.segmented_control("Sprache / Language", list(LANGS), default=form.lang,
                                  format_func=LANG_NAMES.__getitem__, key="pub_lang",
                                  on_change=_sync_page_lang)
    if picked in LANGS:
        form.lang = str(picked)
    return form.lang


def link_code() -> str:
    """The invitation code in the link (``&c=CODE``), if any."""
    return str(st.query_params.get(CODE_PARAM) or "")


def _code_error(exc: InvitationCodeError, form: CitizenForm) -> None:
    form.invitation_code = None  # ask for it again
    remember_error("need_code" if exc.missing else "bad_code", exc.message_de)


def take_code(form: CitizenForm, raw: str) -> bool:
    """Check the typed or linked code (not used yet); False with a message if it is wrong."""
    if not raw.strip():
        remember_error("need_code", text("need_code", "de"))
        return False
    try:
        citizen.enter_code(engine(), form, limits(), address(), raw)
    except InvitationCodeError as exc:
        _code_error(exc, form)
        return False
    except RateLimitedError as exc:
        remember_error("rate_limited", exc.message_de)
        return False
    clear_error()
    return True


def start(form: CitizenForm) -> None:
    try:
        citizen.start_form(form, limits(), address(), now=time.time(),
                           today=dt.datetime.now(dt.UTC).date())
        clear_error()
    except RateLimitedError as exc:
        remember_error("rate_limited", exc.message_de)


def send(form: CitizenForm) -> SendOutcome | None:
    """Send once; on failure keep everything and remember a message for the next run."""
    try:
        outcome = citizen.send_form(engine(), form, limits(), address(),
                                    min_seconds_per_answer=settings().min_seconds_per_answer,
                                    now=time.time())
    except RateLimitedError as exc:
        remember_error("rate_limited", exc.message_de)
        return None
    except InvitationCodeError as exc:
        _code_error(exc, form)
        return None
    except NotSavedError as exc:
        remember_error("not_saved", exc.message_de)
        return None
    except (ValidationError, ConflictError, NotFoundError) as exc:
        remember_error("", exc.message_de)
        return None
    clear_error()
    return outcome


def remember_error(code: str, message_de: str = "") -> None:
    st.session_state[ERROR] = (code, message_de)


def clear_error() -> None:
    st.session_state.pop(ERROR, None)


def show_error(lang: str) -> None:
    """The last problem: the German message as raised when the form is in German, else the
    text for its code in the form's language."""
    pending = st.session_state.get(ERROR)
    if pending:
        code, message = pending
        st.error(message if message and (lang == "de" or not code) else text(code, lang))
