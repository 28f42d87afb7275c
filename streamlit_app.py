"""StadtRaumMonitor: page configuration, sign-in and role-based navigation (nothing else)."""

from __future__ import annotations

import streamlit as st

from stadtraum.accounts.auth import allowed_pages
from stadtraum.accounts.setup import ensure_setup_code, needs_setup
from stadtraum.ui import new_password_view, page_lang, setup_view, style
from stadtraum.ui.admin import settings_brand
from stadtraum.ui.citizen.form_state import is_public_request
from stadtraum.ui.demo_banner import demo_banner
from stadtraum.ui.i18n import lang, language_switch, t
from stadtraum.ui.plain import md_literal
from stadtraum.ui.session import flush_cookie, locked, resolve, sign_out
from stadtraum.ui.sign_in_view import sign_in_at
from stadtraum.ui.state import ASSETS, engine, settings
from stadtraum.vocab import ROLES

st.set_page_config(page_title="StadtRaumMonitor", page_icon=str(ASSETS / "favicon.png"),
                   layout="wide")
style.apply()  # with the city's main colour
settings_brand.logo()  # the city's logo (an image, st.logo), on every page
page_lang.declare(lang())
# page key -> (file, German title); only the pages of the signed-in role are registered, so
# other roles' pages cannot be reached by URL, and each page checks again on the server
PAGES = {
    "karte": ("pages/map.py", "Karte"),
    "befragung": ("pages/interview.py", "Befragung durchführen"),
    "meine_befragungen": ("pages/my_interviews.py", "Meine Befragungen heute"),
    "uebersicht": ("pages/overview.py", t("overview")),
    "fokusgruppe": ("pages/focus_group.py", "Fokusgruppe"),
    "verwaltung": ("pages/admin.py", "Verwaltung"),
    "konten": ("pages/accounts.py", "Konten"),
    "gebiete": ("pages/boundaries.py", "Gebiete"),
    "befragungen": ("pages/campaigns.py", "Befragungen"),
    "kataloge": ("pages/catalogues.py", "Kataloge"),
    "papier": ("pages/paper_forms.py", "Papierbögen"),
    "gebietsprofil": ("pages/profile.py", "Gebietsprofil"),
    "vergleich": ("pages/compare.py", "Vergleich"),
    "protokoll": ("pages/audit_log.py", "Protokoll"),
    "feldarbeit": ("pages/fieldwork.py", "Feldarbeit"),
    "einstellungen": ("pages/city_settings.py", "Einstellungen"),
    "datenschutz": ("pages/privacy.py", "Datenschutz"),
    "moderation": ("pages/moderation.py", "Kommentare prüfen"),
    "veroeffentlichung": ("pages/publication.py", "Veröffentlichung"),
}
# the sidebar's order: results, then collection, then administration; a role's first page
# opens first. (Streamlit's sections would add headers, but their markup puts <div>s in a
# <ul>, which axe reports as a serious violation; so one list, in this order.)
ORDER = ("uebersicht", "karte", "gebietsprofil", "vergleich", "veroeffentlichung",
         "befragung", "meine_befragungen", "fokusgruppe", "papier", "moderation",
         "feldarbeit", "befragungen", "gebiete", "kataloge", "konten", "einstellungen",
         "verwaltung", "datenschutz", "protokoll")
engine()  # first start: create the schema, load the demo city into an empty database
if is_public_request():  # the citizens' anonymous form: no sign-in, no navigation
    demo_banner()
    st.navigation([st.Page("pages/public_form.py", title="Mitmachen", url_path="mitmachen")],
                  position="hidden").run()
    st.stop()
if needs_setup(engine()):  # a fresh install: the one-time set-up page at every address
    ensure_setup_code(settings().setup_code_file)
    setup = [st.Page(setup_view.show, title="Einrichtung", url_path="einrichtung",
                     default=True)]
    setup += [st.Page(setup_view.setup_at(key), title="Einrichtung", url_path=key)
              for key in [*PAGES, "anmelden"]]
    st.navigation(setup, position="hidden").run()
    st.stop()
user = resolve()  # the server-side session: signed out, ended elsewhere, locked?
flush_cookie()
if user is None or locked():
    # every page's address leads to the sign-in page, so a bookmark of /karte or /befragung
    # signs in and then opens that page instead of "Page not found"
    sign_in = [st.Page("pages/sign_in.py", title="Anmelden", url_path="anmelden", default=True)]
    sign_in += [st.Page(sign_in_at(key), title="Anmelden", url_path=key) for key in PAGES]
    st.navigation(sign_in, position="hidden").run()
    st.stop()
if user.must_change_password:  # signed in with a one-time password: choose one's own first
    change = [st.Page(new_password_view.show, title="Neues Passwort", url_path="neues_passwort",
                      default=True)]
    change += [st.Page(new_password_view.new_password_at(key), title="Neues Passwort",
                       url_path=key) for key in PAGES]
    st.navigation(change, position="hidden").run()
    st.stop()
language_switch(st.sidebar)
settings_brand.sidebar_name(st.sidebar)  # the city's name, as plain text
# the role as people name it, never its code ("(planner)")
role = md_literal(ROLES.label(user.role, lang()) if user.role in ROLES.codes else user.role)
st.sidebar.caption(f"Signed in: {md_literal(user.name)} ({role})" if lang() == "en" else
                   f"Angemeldet: {md_literal(user.name)} ({role})")
if st.sidebar.button("Sign out" if lang() == "en" else "Abmelden", key="sign_out"):
    sign_out()
    st.rerun()
allowed = set(allowed_pages(user.role)) & set(PAGES)
pages = [st.Page(PAGES[key][0], title=PAGES[key][1], url_path=key)
         for key in ORDER if key in allowed]
demo_banner()
st.navigation(pages, expanded=True).run()  # every page listed, no "View N more"
