"""Admin widgets: publish a campaign's results (the snapshot every public figure reads).
German first, English in the English UI."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.config import CITY_TZ
from stadtraum.errors import StadtraumError
from stadtraum.publish.service import Publication, publication_status, publish_results
from stadtraum.ui.admin.campaign_texts import error_text, tr
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import cube_provider, engine


def _when(at: dt.datetime | None) -> str:
    if at is None:
        return tr("noch nie veröffentlicht", "never published")
    local = (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone(CITY_TZ)
    return tr(f"zuletzt geändert am {local:%d.%m.%Y um %H:%M} Uhr",
              f"last changed on {local:%Y-%m-%d at %H:%M}")


def _publish(item: Publication, actor: Actor) -> None:
    try:
        report = publish_results(engine(), cube_provider(), item.campaign_id, actor=actor)
    except StadtraumError as exc:
        st.session_state["admin_flash"] = error_text(exc)
        return
    st.session_state["admin_flash"] = tr(
        f"„{md_literal(item.name)}“ veröffentlicht: {report.shown} von {report.cells} Werten "
        f"öffentlich, {report.updated} geändert.",
        f"“{md_literal(item.name)}” published: {report.shown} of {report.cells} values "
        f"public, {report.updated} changed.")


def publish_section(actor: Actor) -> None:
    st.caption(tr("Der Dank-Bildschirm des Online-Fragebogens (und künftig offene Daten und "
                  "Berichte) zeigt nur den veröffentlichten Stand: gerundet, ohne Fallzahlen, "
                  "mit Geheimhaltung. Ein Wert ändert sich erst, wenn ihn seit seiner "
                  "Veröffentlichung mindestens so viele weitere Personen bewertet haben, wie "
                  "die Mindestfallzahl verlangt.", "The thank-you screen of the online form "
                  "(and, later, open data and reports) shows only the published state: "
                  "rounded, without case numbers, with confidentiality. A value changes only "
                  "once at least as many further people as the minimum cell size requires "
                  "have rated it since it was published."))
    for item in publication_status(engine()):
        cols = st.columns([3, 2])
        cols[0].markdown(f"**{md_literal(item.name)}** · {_when(item.published_at)}")
        cols[1].button(tr("Ergebnisse veröffentlichen", "Publish results"),
                       key=f"publish_{item.campaign_id}",
                       on_click=_publish, args=(item, actor))
