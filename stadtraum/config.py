"""Settings from ``STADTRAUM_*`` environment variables, read on demand, never at import."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from stadtraum.errors import ValidationError

DEFAULT_DATABASE_URL = "sqlite:///data/stadtraum.db"
# the city's local time: "today", shown times (stored times are UTC)
CITY_TZ = ZoneInfo("Europe/Berlin")
# Germany's bounding box (lon/lat, WGS84), slightly padded: minx, miny, maxx, maxy.
GERMANY_BBOX = (5.5, 47.0, 15.5, 55.2)


@dataclass(frozen=True)
class Setting:
    """One documented setting (declared as data so docs and code cannot drift)."""

    env: str
    default: str
    help_de: str
    help_en: str


SETTINGS: tuple[Setting, ...] = (
    Setting("STADTRAUM_DATABASE_URL", DEFAULT_DATABASE_URL,
            "Datenbank-URL (SQLite-Datei oder postgresql+psycopg://…)",
            "database URL (SQLite file or postgresql+psycopg://…)"),
    Setting("STADTRAUM_REGION", ",".join(str(v) for v in GERMANY_BBOX),
            "Plausibilitätsregion für Koordinaten: minLon,minLat,maxLon,maxLat (WGS84)",
            "plausibility region for coordinates: minLon,minLat,maxLon,maxLat (WGS84)"),
    Setting("STADTRAUM_METRIC_CRS", "EPSG:25832",
            "Metrisches Koordinatensystem für Flächen, Überlappungen und Vereinfachung",
            "metric CRS for areas, overlaps and simplification"),
    Setting("STADTRAUM_DEFAULT_MIN_N", "5",
            "Mindestzahl Antworten je Zelle für neue Befragungen",
            "minimum cell size for new campaigns"),
    Setting("STADTRAUM_DRAFT_TTL_HOURS", "12",
            "Stunden, die eine unterbrochene Befragung zur Fortsetzung angeboten wird",
            "hours an interrupted interview is offered for resumption"),
    Setting("STADTRAUM_SESSION_SECRET", "",
            "Geheimer Schlüssel (≥ 32 Zeichen) für Anmelde-Cookies; leer: wird einmal erzeugt "
            "und in data/session.key gespeichert (bei mehreren Servern überall gleich setzen)",
            "secret (>= 32 chars) signing sign-in cookies; empty: generated once into "
            "data/session.key"),
    Setting("STADTRAUM_SESSION_HOURS", "10",
            "Stunden, die eine Anmeldung gilt (eine Schicht); ein Neuladen meldet nicht ab",
            "hours a sign-in lasts (one shift); a reload does not sign out"),
    Setting("STADTRAUM_IDLE_LOCK_MINUTES", "15",
            "Minuten ohne Eingabe, nach denen ein geteiltes Tablet gesperrt wird",
            "minutes without input after which a shared tablet locks"),
    Setting("STADTRAUM_DEMO_ON_EMPTY", "1",
            "Demodaten beim ersten Start laden, wenn die Datenbank leer ist (1/0)",
            "load demo data on first start when the database is empty (1/0)"),
    Setting("STADTRAUM_DEMO_SIGN_IN", "1",
            "Auf der Anmeldeseite je Demo-Rolle ein Knopf zum Anmelden ohne Passwort, solange "
            "die Demodaten geladen sind (1/0); im Betrieb 0",
            "one button per demo role on the sign-in page, signing in without a password, "
            "while the demo data are loaded (1/0); 0 in production"),
    Setting("STADTRAUM_SETUP_CODE_FILE", "data/setup-code",
            "Datei des einmaligen Einrichtungscodes (Rechte 0600), solange es kein Konto gibt; "
            "relativ zum Ordner der App",
            "file of the one-time set-up code (mode 0600) while there is no account; relative "
            "to the app's folder"),
    Setting("STADTRAUM_PUBLIC_BASE_URL", "",
            "Öffentliche Adresse der App für den Bürger-Link und den QR-Code, z. B. "
            "https://stadtraum.example.de; leer: die Adresse, unter der die Verwaltung die App "
            "gerade aufruft",
            "public base URL of the app for the citizens' link and QR code; empty: the address "
            "the admin is using"),
    Setting("STADTRAUM_TRUSTED_PROXY_HOPS", "0",
            "Zahl der vertrauenswürdigen Reverse-Proxys vor der App; nur dann wird "
            "X-Forwarded-For für die Absenderadresse ausgewertet (0: nie)",
            "number of trusted reverse proxies in front of the app; X-Forwarded-For is only "
            "used when > 0"),
    Setting("STADTRAUM_PUBLIC_MAX_STARTS_PER_HOUR", "60",
            "Höchstzahl begonnener Online-Fragebögen je Absenderadresse und Stunde",
            "maximum online forms started per client address and hour"),
    Setting("STADTRAUM_PUBLIC_MAX_SUBMISSIONS_PER_HOUR", "20",
            "Höchstzahl abgeschickter Online-Fragebögen je Absenderadresse und Stunde",
            "maximum online forms submitted per client address and hour"),
    Setting("STADTRAUM_MIN_SECONDS_PER_ANSWER", "2",
            "Online-Antworten, die schneller als so viele Sekunden je Bewertung ausgefüllt "
            "wurden, werden zur Prüfung markiert (0: aus)",
            "online responses faster than this many seconds per rating are flagged (0: off)"),
    Setting("STADTRAUM_PRIVACY_CONTACT", "",
            "Kontakt für Datenschutzfragen im Datenschutzhinweis des Online-Fragebogens "
            "(z. B. Anschrift oder E-Mail der/des Datenschutzbeauftragten)",
            "privacy contact shown in the citizens' form's privacy notice"),
    # the city settings' defaults (an admin's value on the page "Einstellungen" wins)
    Setting("STADTRAUM_CITY_NAME", "",
            "Name der Stadt in der Seitenleiste und über dem Online-Fragebogen",
            "the city's name in the sidebar and above the citizens' form"),
    Setting("STADTRAUM_LOGO_FILE", "",
            "Logo der Stadt: PNG- oder JPEG-Datei (höchstens 1 MiB), relativ zum Ordner der App",
            "the city's logo: PNG or JPEG file (at most 1 MiB), relative to the app's folder"),
    Setting("STADTRAUM_MAIN_COLOR", "#1f5f99",
            "Hauptfarbe (Hex) der Hauptknöpfe; Kontrast zu Weiß mindestens 4,5:1",
            "main colour (hex) of the primary buttons; contrast with white at least 4.5:1"),
    Setting("STADTRAUM_PRIVACY_NOTICE", "",
            "Datenschutzhinweis der Stadt (reiner Text) im Online-Fragebogen und auf der "
            "Anmeldeseite",
            "the city's privacy notice (plain text) on the citizens' form and the sign-in page"),
    Setting("STADTRAUM_IMPRINT", "",
            "Impressum (reiner Text), verlinkt im Online-Fragebogen",
            "legal notice (plain text), linked from the citizens' form"),
    Setting("STADTRAUM_ACCESSIBILITY_STATEMENT", "",
            "Erklärung zur Barrierefreiheit nach BITV 2.0 (reiner Text), verlinkt im "
            "Online-Fragebogen",
            "accessibility statement (BITV 2.0, plain text), linked from the citizens' form"),
    Setting("STADTRAUM_BASEMAP", "none",
            "Hintergrundkarte unter den Gebieten: none (keine, funktioniert ohne Internet), "
            "osm (OpenStreetMap) oder basemapde (basemap.de des BKG)",
            "base map under the areas: none (works offline), osm or basemapde"),
)


# optional single sign-on (OpenID Connect through Streamlit's st.login): on only when the
# metadata URL, the client id and secret and the redirect URI are all set (docs/verwaltung.md,
# "Anmeldung über Single Sign-on"; a test checks each is described there)
OIDC_SETTINGS: tuple[Setting, ...] = (
    Setting("STADTRAUM_OIDC_METADATA_URL", "",
            "Adresse der OpenID-Connect-Metadaten des Anbieters (…/.well-known/"
            "openid-configuration); leer: keine Anmeldung über Single Sign-on",
            "the provider's OpenID Connect metadata URL; empty: no single sign-on"),
    Setting("STADTRAUM_OIDC_CLIENT_ID", "", "Client-ID der App beim Anbieter",
            "the app's client id at the provider"),
    Setting("STADTRAUM_OIDC_CLIENT_SECRET", "", "Client-Geheimnis der App beim Anbieter",
            "the app's client secret at the provider"),
    Setting("STADTRAUM_OIDC_REDIRECT_URI", "",
            "Rücksprungadresse, beim Anbieter eingetragen: die Adresse der App mit "
            "/oauth2callback; leer: STADTRAUM_PUBLIC_BASE_URL + /oauth2callback",
            "the redirect URI registered at the provider (app address + /oauth2callback)"),
    Setting("STADTRAUM_OIDC_COOKIE_SECRET", "",
            "Schlüssel für Streamlits kurzlebiges Anmelde-Cookie; leer: aus dem "
            "Sitzungsschlüssel abgeleitet",
            "secret of Streamlit's short-lived identity cookie; empty: derived from the "
            "session secret"),
    Setting("STADTRAUM_OIDC_PROVIDER_NAME", "Single Sign-on",
            "Name des Anbieters auf dem Knopf „Mit … anmelden“",
            "the provider's name on the button \"Sign in with …\""),
    Setting("STADTRAUM_OIDC_REQUIRE_VERIFIED_EMAIL", "1",
            "nur E-Mail-Adressen annehmen, die der Anbieter als bestätigt meldet "
            "(email_verified); 0 nur für einen Anbieter, der nur eigene Adressen vergibt",
            "accept only e-mail addresses the provider reports as verified (1/0)"),
)


# the base maps :mod:`stadtraum.maps.basemap` knows (a test checks both name the same)
BASEMAP_KEYS = ("none", "osm", "basemapde")


def basemap_key(raw: str) -> str:
    """The base map named ``raw`` (``none``, ``osm``, ``basemapde``; case-insensitive)."""
    key = raw.strip().lower()
    if key not in BASEMAP_KEYS:
        raise ValidationError(
            f"STADTRAUM_BASEMAP ist ungültig: {raw!r} (erlaubt: {', '.join(BASEMAP_KEYS)})",
            f"invalid STADTRAUM_BASEMAP {raw!r}", field="STADTRAUM_BASEMAP")
    return key


@dataclass(frozen=True)
class Region:
    """A lon/lat bounding box in which imported coordinates must lie."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def contains_bounds(self, bounds: tuple[float, float, float, float]) -> bool:
        minx, miny, maxx, maxy = bounds
        return (self.min_lon <= minx and maxx <= self.max_lon
                and self.min_lat <= miny and maxy <= self.max_lat)

    @classmethod
    def parse(cls, text: str) -> Region:
        try:
            parts = [float(p) for p in text.split(",")]
        except ValueError as exc:
            raise ValidationError(
                f"STADTRAUM_REGION ist ungültig: {text!r} (erwartet: minLon,minLat,maxLon,maxLat)",
                f"invalid STADTRAUM_REGION {text!r}", field="STADTRAUM_REGION") from exc
        if len(parts) != 4 or parts[0] >= parts[2] or parts[1] >= parts[3]:
            raise ValidationError(
                f"STADTRAUM_REGION ist ungültig: {text!r} (erwartet: minLon,minLat,maxLon,maxLat)",
                f"invalid STADTRAUM_REGION {text!r}", field="STADTRAUM_REGION")
        return cls(*parts)


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    region: Region = field(default_factory=lambda: Region(*GERMANY_BBOX))
    metric_crs: str = "EPSG:25832"
    default_min_n: int = 5
    demo_on_empty: bool = True
    demo_sign_in: bool = True
    setup_code_file: Path = Path("data/setup-code")
    draft_ttl_hours: float = 12.0
    session_secret: str = ""
    session_hours: float = 10.0
    idle_lock_minutes: float = 15.0
    public_base_url: str = ""
    trusted_proxy_hops: int = 0
    public_max_starts_per_hour: int = 60
    public_max_submissions_per_hour: int = 20
    min_seconds_per_answer: float = 2.0
    privacy_contact: str = ""
    basemap: str = "none"


def _get(env: Mapping[str, str], name: str) -> str:
    for s in SETTINGS:
        if s.env == name:
            return env.get(name, s.default) or s.default
    raise KeyError(name)


def _number(env: Mapping[str, str], name: str) -> float:
    text = _get(env, name)
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise ValidationError(f"{name} muss eine positive Zahl sein, nicht {text!r}.",
                              f"{name} must be a positive number, got {text!r}", field=name)
    return value


def _integer(env: Mapping[str, str], name: str, minimum: int) -> int:
    text = _get(env, name)
    try:
        value = int(text.strip())
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ValidationError(f"{name} muss eine ganze Zahl ≥ {minimum} sein, nicht {text!r}.",
                              f"{name} must be an integer >= {minimum}, got {text!r}",
                              field=name)
    return value


def _seconds(env: Mapping[str, str], name: str) -> float:
    text = _get(env, name)
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < 3600:
        raise ValidationError(f"{name} muss eine Zahl von 0 bis 3600 sein, nicht {text!r}.",
                              f"{name} must be a number in [0, 3600), got {text!r}", field=name)
    return value


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings now from ``env`` (default: ``os.environ``)."""
    env = os.environ if env is None else env
    min_n_text = _get(env, "STADTRAUM_DEFAULT_MIN_N")
    try:
        min_n = int(min_n_text)
    except ValueError as exc:
        raise ValidationError(f"STADTRAUM_DEFAULT_MIN_N ist keine Zahl: {min_n_text!r}",
                              f"STADTRAUM_DEFAULT_MIN_N is not an integer: {min_n_text!r}",
                              field="STADTRAUM_DEFAULT_MIN_N") from exc
    return Settings(
        database_url=_get(env, "STADTRAUM_DATABASE_URL"),
        region=Region.parse(_get(env, "STADTRAUM_REGION")),
        metric_crs=_get(env, "STADTRAUM_METRIC_CRS"),
        default_min_n=min_n,
        demo_on_empty=_get(env, "STADTRAUM_DEMO_ON_EMPTY") not in ("0", "false", "no"),
        demo_sign_in=_get(env, "STADTRAUM_DEMO_SIGN_IN") not in ("0", "false", "no"),
        setup_code_file=project_root() / _get(env, "STADTRAUM_SETUP_CODE_FILE"),
        draft_ttl_hours=_number(env, "STADTRAUM_DRAFT_TTL_HOURS"),
        session_secret=_get(env, "STADTRAUM_SESSION_SECRET"),
        session_hours=_number(env, "STADTRAUM_SESSION_HOURS"),
        idle_lock_minutes=_number(env, "STADTRAUM_IDLE_LOCK_MINUTES"),
        public_base_url=_get(env, "STADTRAUM_PUBLIC_BASE_URL").strip(),
        trusted_proxy_hops=_integer(env, "STADTRAUM_TRUSTED_PROXY_HOPS", 0),
        public_max_starts_per_hour=_integer(env, "STADTRAUM_PUBLIC_MAX_STARTS_PER_HOUR", 1),
        public_max_submissions_per_hour=_integer(
            env, "STADTRAUM_PUBLIC_MAX_SUBMISSIONS_PER_HOUR", 1),
        min_seconds_per_answer=_seconds(env, "STADTRAUM_MIN_SECONDS_PER_ANSWER"),
        privacy_contact=_get(env, "STADTRAUM_PRIVACY_CONTACT").strip(),
        basemap=basemap_key(_get(env, "STADTRAUM_BASEMAP")),
    )


def session_secret(settings: Settings, folder: Path) -> bytes:
    """The configured secret, else one generated once and kept in ``folder/session.key``."""
    if settings.session_secret:
        if len(settings.session_secret) < 32:
            raise ValidationError("STADTRAUM_SESSION_SECRET muss mindestens 32 Zeichen haben.",
                                  "STADTRAUM_SESSION_SECRET shorter than 32 characters",
                                  field="STADTRAUM_SESSION_SECRET")
        return settings.session_secret.encode()
    path = folder / "session.key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip().encode()


def project_root() -> Path:
    """The folder that holds ``data/`` and ``geodata/`` (the repository checkout)."""
    return Path(__file__).resolve().parent.parent
