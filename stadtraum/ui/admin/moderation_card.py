"""One comment on the moderation page: its text and the detector's marks as literal text
(``st.text``: never Markdown or HTML), its state, and the actions its state allows.

- new: „Freigeben“; „Schwärzen“ and „Ausblenden“ as for a released one;
- released: „Schwärzen“ (the marked spans to replace, chosen in a multiselect, and further
  passages quoted word for word, one a line: every occurrence is replaced by „[entfernt]“;
  nothing can be added this way), „Ausblenden“ with a reason;
- admins: „Original anzeigen“ for a redacted or hidden comment (audited), and „Zurück in die
  Warteschlange“.

Widgets are keyed by the comment's state (status and time of the last moderation): after any
change they are drawn fresh, and a card showing an older state is refused as a conflict.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from stadtraum.accounts.permissions import Actor, may
from stadtraum.config import CITY_TZ
from stadtraum.errors import StadtraumError
from stadtraum.privacy.moderation import (
    hide_comment,
    original_text,
    redact_comment,
    release_comment,
    reopen_comment,
)
from stadtraum.privacy.moderation_queue import QueueItem
from stadtraum.privacy.moderation_text import MAX_REASON, merge_spans, redact, spans_of_phrases
from stadtraum.privacy.personal_data import MARK_KINDS
from stadtraum.ui.admin.campaign_texts import error_text, tr
from stadtraum.ui.i18n import lang
from stadtraum.ui.state import engine
from stadtraum.vocab import COMMENT_KINDS, COMMENT_STATUSES

__all__ = ["FLASH", "ORIGINAL", "card", "key_of"]

FLASH = "mod_flash"  # (kind, message, text or None) of the last action, shown once
ORIGINAL = "mod_original"  # comment id -> its original text, revealed by an admin


def key_of(item: QueueItem) -> str:
    at = item.seen.moderated_at
    return f"mod_{item.comment_id}_{item.seen.status}_{at.timestamp() if at else 0:.6f}"


def _when(item: QueueItem) -> str:
    if item.moderated_at is None:
        return ""
    local = item.moderated_at.astimezone(CITY_TZ)
    return local.strftime("%Y-%m-%d %H:%M") if lang() == "en" else local.strftime("%d.%m.%Y "
                                                                                  "%H:%M")


def _run(call: Callable[[], object], done_de: str, done_en: str,
         shown: str | None = None) -> object | None:
    try:
        result = call()
    except StadtraumError as exc:
        st.session_state[FLASH] = ("error", error_text(exc), None)
        return None
    st.session_state[FLASH] = ("success", tr(done_de, done_en), shown)
    return result


def _release(item: QueueItem, actor: Actor) -> None:
    _run(lambda: release_comment(engine(), item.comment_id, actor=actor, expected=item.seen),
         f"Kommentar {item.comment_id} freigegeben.", f"Comment {item.comment_id} released.")


def _redact(item: QueueItem, actor: Actor, key: str) -> None:
    text = item.text or ""
    chosen = st.session_state.get(f"{key}_marks") or []
    passages = str(st.session_state.get(f"{key}_phrases") or "").splitlines()

    spans: list[tuple[int, int]] = []

    def call() -> object:
        spans.extend((item.marks[i].start, item.marks[i].end) for i in chosen
                     if 0 <= i < len(item.marks))
        spans.extend(spans_of_phrases(text, passages))
        return redact_comment(engine(), item.comment_id, spans=merge_spans(spans),
                              actor=actor, expected=item.seen)

    if _run(call, f"Kommentar {item.comment_id} geschwärzt und freigegeben. Planerinnen und "
            "Planer sehen:", f"Comment {item.comment_id} redacted and released. Planners "
            "see:") is not None:  # the same text the use case stored
        st.session_state[FLASH] = (*st.session_state[FLASH][:2],
                                   redact(text, merge_spans(spans)))


def _hide(item: QueueItem, actor: Actor, key: str) -> None:
    reason = str(st.session_state.get(f"{key}_reason") or "")
    _run(lambda: hide_comment(engine(), item.comment_id, reason, actor=actor,
                              expected=item.seen),
         f"Kommentar {item.comment_id} ausgeblendet.", f"Comment {item.comment_id} hidden.")


def _reopen(item: QueueItem, actor: Actor) -> None:
    _run(lambda: reopen_comment(engine(), item.comment_id, actor=actor, expected=item.seen),
         f"Kommentar {item.comment_id} ist wieder in der Warteschlange.",
         f"Comment {item.comment_id} is back in the queue.")


def _reveal(item: QueueItem, actor: Actor) -> None:
    text = _run(lambda: original_text(engine(), item.comment_id, actor=actor),
                "Originaltext angezeigt (im Protokoll vermerkt).",
                "Original text shown (recorded in the audit log).")
    if isinstance(text, str):
        st.session_state.setdefault(ORIGINAL, {})[item.comment_id] = text


def _header(item: QueueItem) -> str:
    day = (item.survey_date.isoformat() if lang() == "en"
           else item.survey_date.strftime("%d.%m.%Y"))
    kind = COMMENT_KINDS.label(item.kind, lang()) if item.kind in COMMENT_KINDS.codes else item.kind
    return (f"{tr('Nr.', 'No.')} {item.comment_id} · {item.campaign} · {item.area} · "
            f"{item.criterion(lang())} · {kind} · {day}")


def _state(item: QueueItem) -> None:
    by, when = item.moderated_by or "?", _when(item)
    if item.status == "hidden":
        st.text(tr(f"Ausgeblendet von {by} am {when}. Grund: {item.hidden_reason}",
                   f"Hidden by {by} on {when}. Reason: {item.hidden_reason}"))
    elif item.status == "released" and item.moderated_at is None:
        st.text(tr("Freigegeben (ohne Moderation: vor der Moderation gespeichert oder "
                   "automatisch freigegeben).", "Released (without moderation: stored before "
                   "moderation existed, or released automatically)."))
    elif item.status == "released":
        what = tr("Geschwärzt und freigegeben", "Redacted and released") if item.redacted \
            else tr("Freigegeben", "Released")
        st.text(tr(f"{what} von {by} am {when}.", f"{what} by {by} on {when}."))


def _marks(item: QueueItem) -> None:
    text = item.text or ""
    if item.marks:
        lines = [f"• {MARK_KINDS.label(m.kind, lang())}: „{m.of(text)}“" for m in item.marks]
        st.text(tr("Mögliche persönliche Daten (vom Prüfprogramm markiert):",
                   "Possible personal data (marked by the checker):") + "\n" + "\n".join(lines))
    elif item.text is not None:
        st.caption(tr("Das Prüfprogramm hat nichts markiert; bitte trotzdem selbst lesen.",
                      "The checker marked nothing; please read it yourself all the same."))


def _redact_form(item: QueueItem, actor: Actor, key: str) -> None:
    text = item.text or ""
    with st.expander(tr("Schwärzen", "Redact")), st.form(f"{key}_redact", border=False):
        options = list(range(len(item.marks)))
        st.multiselect(tr("Markierte Stellen ersetzen durch „[entfernt]“",
                          "Replace marked passages by “[entfernt]”"), options, default=options,
                       format_func=lambda i: f"{MARK_KINDS.label(item.marks[i].kind, lang())}: "
                                             f"{item.marks[i].of(text)}",
                       key=f"{key}_marks")
        st.text_area(tr("Weitere Stellen, wörtlich wie im Kommentar (eine je Zeile; jedes "
                        "Vorkommen wird ersetzt)", "Further passages, word for word as in the "
                        "comment (one a line; every occurrence is replaced)"),
                     key=f"{key}_phrases", height=80)
        st.form_submit_button(tr("Schwärzen und freigeben", "Redact and release"),
                              on_click=_redact, args=(item, actor, key))


def _hide_form(item: QueueItem, actor: Actor, key: str) -> None:
    with st.expander(tr("Ausblenden", "Hide")), st.form(f"{key}_hide", border=False):
        st.text_input(tr("Grund (Pflicht; nur für Moderation und Verwaltung sichtbar)",
                         "Reason (required; seen only by moderators and admins)"),
                      max_chars=MAX_REASON, key=f"{key}_reason")
        st.form_submit_button(tr("Ausblenden", "Hide"), on_click=_hide,
                              args=(item, actor, key))


def card(item: QueueItem, actor: Actor) -> None:
    """The comment ``item`` with the actions ``actor`` may take."""
    key = key_of(item)
    admin = may(actor, "comments.original")
    with st.container(border=True, key=f"{key}_card"):
        st.text(_header(item) + " · " + COMMENT_STATUSES.label(item.status, lang()))
        if item.text is not None:
            st.text(item.text)
        else:
            st.text(tr("(Text ausgeblendet)", "(text hidden)"))
        _marks(item)
        _state(item)
        revealed = st.session_state.get(ORIGINAL, {}).get(item.comment_id)
        if revealed is not None and (item.redacted or item.status == "hidden"):
            st.text(tr("Originaltext:", "Original text:") + "\n" + revealed)
        left, middle, right = st.columns(3)
        if item.status == "new":
            left.button(tr("Freigeben", "Release"), key=f"{key}_release", type="primary",
                        on_click=_release, args=(item, actor))
        if admin and (item.redacted or item.status == "hidden") and revealed is None:
            middle.button(tr("Original anzeigen", "Show original"), key=f"{key}_original",
                          on_click=_reveal, args=(item, actor))
        if item.status != "new" and (admin or (not item.redacted and item.status == "released")):
            right.button(tr("Zurück in die Warteschlange", "Back into the queue"),
                         key=f"{key}_reopen", on_click=_reopen, args=(item, actor))
        if item.status in ("new", "released"):
            _redact_form(item, actor, key)
            _hide_form(item, actor, key)
