"""Admin widgets: publish a campaign's results (the snapshot every public figure reads)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.config import CITY_TZ
from stadtraum.errors import StadtraumError
from stadtraum.publish.service import Publication, publication_status, publish_results
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import cube_provider, engine


def _when(at: dt.datetime | None) -> str:
    if at is None:
        return "noch nie veröffentlicht"
    local = (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone(CITY_TZ)
    return f"zuletzt geändert am {local:%d.%m.%Y um %H:%M} Uhr"


def _publish(item: Publication, actor: Actor) -> None:
    try:
        report = publish_results(engine(), cube_provider(), item.campaign_id, actor=actor)
    except StadtraumError as exc:
        st.session_state["admin_flash"] = exc.message_de
        return
    st.session_state["admin_flash"] = (
        f"„{md_literal(item.name)}“ veröffentlicht: {report.shown} von {report.cells} Werten "
        "öffentlich, "
        f"{report.updated} geändert.")


def publish_section(actor: Actor) -> None:
    st.caption("Der Dank-Bildschirm des Online-Fragebogens (und künftig offene Daten und "
               "Berichte) zeigt nur den veröffentlichten Stand: gerundet, ohne Fallzahlen, mit "
               "Geheimhaltung. Ein Wert ändert sich erst, wenn ihn seit seiner Veröffentlichung "
               "mindestens so viele weitere Personen bewertet haben, wie die Mindestfallzahl "
               "verlangt.")
    for item in publication_status(engine()):
        cols = st.columns([3, 2])
        cols[0].markdown(f"**{md_literal(item.name)}** · {_when(item.published_at)}")
        cols[1].button("Ergebnisse veröffentlichen", key=f"publish_{item.campaign_id}",
                       on_click=_publish, args=(item, actor))
