"""The page "Kataloge": the list of catalogues, and one catalogue's controls: preview,
download as TOML, copy under a new id, delete (a stored one no campaign uses).

Names and ids can come from an uploaded file: shown with ``st.dataframe``, select options
or :func:`~stadtraum.ui.plain.md_literal`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from stadtraum.accounts.permissions import Actor
from stadtraum.admin.catalogues import (
    SHIPPED,
    CatalogueRow,
    catalogue_source,
    copy_catalogue,
    delete_catalogue,
)
from stadtraum.errors import StadtraumError
from stadtraum.ui.admin.catalogues_view import flash, preview, run_action, tr
from stadtraum.ui.i18n import lang
from stadtraum.ui.plain import md_literal
from stadtraum.ui.state import engine

__all__ = ["catalogue_table", "manage_section"]

PICK = "kat_pick"


def _source(row: CatalogueRow) -> str:
    return tr("mitgeliefert", "shipped") if row.source == SHIPPED else tr("hochgeladen",
                                                                         "uploaded")


def catalogue_table(rows: list[CatalogueRow]) -> None:
    """A static table whose cells wrap (a handful of rows; cells escaped: names come from
    uploaded files)."""
    st.table(pd.DataFrame({
        "Id": [md_literal(r.id) for r in rows],
        tr("Name", "Name"): [md_literal(r.name(lang())) for r in rows],
        tr("Themen", "Topics"): [r.n_criteria for r in rows],
        tr("Herkunft", "Source"): [_source(r) for r in rows],
        tr("Verwendet von", "Used by"): [md_literal(", ".join(r.campaigns)) or "–"
                                         for r in rows],
    }), hide_index=True)


def _copy(row: CatalogueRow, actor: Actor) -> None:
    new_id = str(st.session_state.get("kat_copy_id") or "")
    if run_action("manage", lambda: copy_catalogue(
            engine(), row.id, new_id, actor=actor,
            name_de=str(st.session_state.get("kat_copy_de") or ""),
            name_en=str(st.session_state.get("kat_copy_en") or "")),
            f"Kopie {new_id.strip()} angelegt.", f"Copy {new_id.strip()} created."):
        st.session_state[PICK] = new_id.strip()
        for key in ("kat_copy_id", "kat_copy_de", "kat_copy_en"):
            st.session_state[key] = ""


def _delete(row: CatalogueRow, actor: Actor) -> None:
    if run_action("manage", lambda: delete_catalogue(engine(), row.id, actor=actor),
                  f"Katalog {row.id} gelöscht.", f"Catalogue {row.id} deleted."):
        st.session_state.pop(PICK, None)


def _status(row: CatalogueRow) -> None:
    if row.source == SHIPPED:
        st.caption(tr("Mitgelieferter Katalog: er kann nicht geändert werden, nur kopiert.",
                      "Shipped catalogue: it cannot be changed, only copied."))
    elif row.campaigns:
        st.caption(tr("Verwendet von: ", "Used by: ") + md_literal(", ".join(row.campaigns))
                   + tr(". Er kann nicht ersetzt oder gelöscht werden, nur kopiert.",
                        ". It cannot be replaced or deleted, only copied."))
    else:
        st.caption(tr("Von keiner Befragung verwendet: er kann ersetzt (neue Datei mit "
                      "derselben Id hochladen) oder gelöscht werden.",
                      "Used by no survey: it can be replaced (upload a file with the same "
                      "id) or deleted."))


def manage_section(actor: Actor, rows: list[CatalogueRow]) -> None:
    flash("manage")
    ids = [r.id for r in rows]
    if st.session_state.get(PICK) not in ids:
        st.session_state[PICK] = ids[0]
    picked = st.selectbox(tr("Katalog (Id)", "Catalogue (id)"), ids, key=PICK)
    row = rows[ids.index(str(picked))]
    st.markdown(f"**{md_literal(row.name(lang()))}** · " + tr(
        f"{row.n_criteria} Themen, {_source(row)}", f"{row.n_criteria} topics, {_source(row)}"))
    _status(row)
    try:
        cat, text = catalogue_source(engine(), row.id, actor=actor)
    except StadtraumError as exc:
        st.error(md_literal(exc.message_en if lang() == "en" else exc.message_de))
        return
    st.download_button(tr("Als TOML-Datei herunterladen", "Download as TOML file"),
                       text.encode("utf-8"), file_name=f"{row.id}.toml",
                       mime="application/toml", key="kat_download",
                       help=tr("Zum Bearbeiten: herunterladen, Id und Texte ändern, als neuen "
                               "Katalog hochladen.", "To edit: download, change the id and "
                               "texts, upload as a new catalogue."))
    with st.expander(tr("Vorschau", "Preview")):
        preview(cat, "manage")
    with st.container(border=True):
        st.markdown(tr("**Kopieren**", "**Copy**"))
        left, middle, right = st.columns(3)
        left.text_input(tr("Neue Id", "New id"), key="kat_copy_id", max_chars=40,
                        placeholder=tr("z. B. bochum_2026", "e.g. bochum_2026"),
                        help=tr("a–z, 0–9 und _, am Anfang ein Buchstabe.",
                                "a-z, 0-9 and _, starting with a letter."))
        middle.text_input(tr("Name (deutsch)", "Name (German)"), key="kat_copy_de",
                          max_chars=160, placeholder=tr("Kopie von …", "Kopie von …"))
        right.text_input(tr("Name (englisch)", "Name (English)"), key="kat_copy_en",
                         max_chars=160, placeholder="Copy of …")
        st.button(tr("Katalog kopieren", "Copy catalogue"), key="kat_copy",
                  on_click=_copy, args=(row, actor))
    if row.changeable:
        with st.container(border=True):
            st.markdown(tr("**Löschen**", "**Delete**"))
            sure = st.checkbox(tr(f"Ja, den Katalog {md_literal(row.id)} löschen",
                                  f"Yes, delete the catalogue {md_literal(row.id)}"),
                               key=f"kat_delete_ok_{row.id}")
            st.button(tr("Katalog löschen", "Delete catalogue"), key="kat_delete",
                      disabled=not sure, on_click=_delete, args=(row, actor))
