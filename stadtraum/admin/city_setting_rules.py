"""The city's settings as data, and the rules every value keeps before it is stored (pure).

Each setting (:data:`SPECS`) has a key (the row of ``city_settings``), the environment
variable that is its default, a built-in default, a kind and a length limit. The checks:

- texts are plain text (never Markdown or HTML: the pages show them with ``st.text``), trimmed,
  without control characters (line breaks only in the long texts), within their limit;
- the main colour is a hex colour whose contrast with white is at least 4.5:1 (WCAG 2.x AA for
  normal text). It is used both as the background of the primary buttons with white text on it
  and as an accent on the white page; the contrast ratio of the pair (colour, white) is the same
  number in both directions, so one check covers both uses;
- the public base address is ``https://host[:port][/path]`` (``http`` only for ``localhost``),
  without user, query, fragment, backslashes, percent escapes or ``.``/``..`` segments; it is
  normalised (lower-case scheme and host, no default port, no trailing slash);
- the logo is a PNG or JPEG (by its first bytes, not its name; SVG is active content and
  refused) of at most 1 MiB that Pillow decodes completely, at most 4096 px on a side;
- the default min_n is a whole number from 3 (:data:`MIN_N_FLOOR`) to 100.

Every refusal is a :class:`ValidationError` naming the field (the setting's key) in German and
in English.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from stadtraum.admin.campaign_settings import MAX_MIN_N, MIN_N_FLOOR, check_min_n
from stadtraum.errors import ValidationError

__all__ = ["DEFAULT_COLOUR", "LOGO_MAX_BYTES", "MIN_CONTRAST", "SPECS", "LogoInfo", "Spec",
           "check_base_url", "check_colour", "check_logo", "check_text", "check_value",
           "contrast_ratio", "ratio_text", "spec"]

DEFAULT_COLOUR = "#1f5f99"  # the theme's primaryColor (.streamlit/config.toml): 6.65:1 on white
MIN_CONTRAST = 4.5  # WCAG 2.x success criterion 1.4.3 (AA), normal text
LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_SIDE = 4096
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
_HOST = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}"
                   r"[a-z0-9])?)*")
_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")
_LOCAL = {"localhost", "127.0.0.1", "[::1]"}


@dataclass(frozen=True)
class Spec:
    """One setting: its key, environment variable, built-in default, kind and limit."""

    key: str
    env: str
    default: str
    kind: str  # line, text (multi-line), colour, url, min_n, logo
    limit: int
    label_de: str
    label_en: str


SPECS: tuple[Spec, ...] = (
    Spec("city_name", "STADTRAUM_CITY_NAME", "", "line", 80, "Name der Stadt", "City name"),
    Spec("logo", "STADTRAUM_LOGO_FILE", "", "logo", LOGO_MAX_BYTES, "Logo", "Logo"),
    Spec("main_colour", "STADTRAUM_MAIN_COLOR", DEFAULT_COLOUR, "colour", 7, "Hauptfarbe",
         "Main colour"),
    Spec("public_base_url", "STADTRAUM_PUBLIC_BASE_URL", "", "url", 200,
         "Öffentliche Adresse (Links und QR-Codes)", "Public address (links and QR codes)"),
    Spec("privacy_contact", "STADTRAUM_PRIVACY_CONTACT", "", "line", 300,
         "Kontakt für Datenschutzfragen", "Privacy contact"),
    Spec("privacy_notice", "STADTRAUM_PRIVACY_NOTICE", "", "text", 4000,
         "Datenschutzhinweis (Bürger*innen und Erfasser*innen)",
         "Privacy notice (citizens and helpers)"),
    Spec("imprint", "STADTRAUM_IMPRINT", "", "text", 4000, "Impressum", "Legal notice"),
    Spec("accessibility", "STADTRAUM_ACCESSIBILITY_STATEMENT", "", "text", 8000,
         "Erklärung zur Barrierefreiheit (BITV 2.0)", "Accessibility statement (BITV 2.0)"),
    Spec("default_min_n", "STADTRAUM_DEFAULT_MIN_N", "5", "min_n", 3,
         "Mindestzahl je Zelle für neue Befragungen", "Minimum cell size for new surveys"),
)
_BY_KEY = {s.key: s for s in SPECS}


def spec(key: str) -> Spec:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise ValidationError(f"Eine Einstellung „{key}“ gibt es nicht.",
                              f"There is no setting “{key}”.", field=key) from None


def _err(s: Spec, de: str, en: str) -> ValidationError:
    return ValidationError(f"{s.label_de}: {de}", f"{s.label_en}: {en}", field=s.key)


# --- colour -----------------------------------------------------------------------------------

def _luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``."""
    def channel(pair: str) -> float:
        c = int(pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    h = hex_colour.lstrip("#")
    r, g, b = (channel(h[i:i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str = "#ffffff") -> float:
    """The WCAG 2.x contrast ratio (1 to 21) of two ``#rrggbb`` colours."""
    a, b = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def ratio_text(ratio: float, lang: str = "de") -> str:
    """``4.4876`` as ``4,48:1`` (rounded down: a shown 4,50 is never really 4,499)."""
    shown = f"{math.floor(ratio * 100) / 100:.2f}"
    return f"{shown.replace('.', ',') if lang == 'de' else shown}:1"


def check_colour(value: str) -> str:
    """``value`` as ``#rrggbb`` (lower case) if it is a hex colour with enough contrast."""
    s = _BY_KEY["main_colour"]
    raw = value.strip()
    match = _HEX.fullmatch(raw)
    if match is None:
        raise _err(s, f"„{raw}“ ist keine Farbe. Bitte als Hex-Wert angeben, z. B. "
                      f"{DEFAULT_COLOUR}.",
                   f"“{raw}” is not a colour. Please give a hex value, e.g. {DEFAULT_COLOUR}.")
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    colour = f"#{digits}"
    ratio = contrast_ratio(colour)
    if ratio < MIN_CONTRAST:
        raise _err(s, f"Der Kontrast von {colour} zu Weiß ist {ratio_text(ratio)}; nötig sind "
                      "mindestens 4,5:1 (WCAG 2.x AA), damit weiße Schrift auf den Knöpfen und "
                      "farbige Schrift auf der weißen Seite lesbar sind. Bitte eine dunklere "
                      "Farbe wählen.",
                   f"The contrast of {colour} with white is {ratio_text(ratio, 'en')}; at least "
                   "4.5:1 (WCAG 2.x AA) is needed so white text on the buttons and coloured "
                   "text on the white page are readable. Please choose a darker colour.")
    return colour


# --- public base address ------------------------------------------------------------------------

def check_base_url(value: str) -> str:
    """The normalised base address, or ``""`` (none: the admin's own address is used)."""
    s = _BY_KEY["public_base_url"]
    raw = value.strip()
    if not raw:
        return ""
    if len(raw) > s.limit:
        raise _err(s, f"Die Adresse ist zu lang ({len(raw)} Zeichen, höchstens {s.limit}).",
                   f"The address is too long ({len(raw)} characters, at most {s.limit}).")
    bad = next((c for c in raw if c in "\\%@?#" or c.isspace() or not c.isascii()
                or unicodedata.category(c)[0] == "C"), None)
    if bad is not None:
        shown = {" ": "Leerzeichen"}.get(bad, f"„{bad}“" if bad.isprintable() else
                                         f"U+{ord(bad):04X}")
        raise _err(s, f"Die Adresse enthält {shown}. Erlaubt ist nur "
                      "https://name.der.stadt[:port][/pfad] ohne Benutzer, Abfrage, Anker, "
                      "Prozentzeichen oder Sonderzeichen.",
                   f"The address contains {bad!r}. Only https://host[:port][/path] is "
                   "allowed, without user, query, fragment, percent signs or special "
                   "characters.")
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
        host = (parts.hostname or "").lower()
    except ValueError:
        port, host = None, ""
    if scheme not in ("https", "http") or not parts.netloc or not host:
        raise _err(s, f"„{raw}“ ist keine vollständige Adresse. Bitte mit https:// angeben, "
                      "z. B. https://mitmachen.stadt.de.",
                   f"“{raw}” is not a complete address. Please give it with https://, e.g. "
                   "https://mitmachen.stadt.de.")
    netloc_host = f"[{host}]" if ":" in host else host
    if scheme == "http" and netloc_host not in _LOCAL:
        raise _err(s, "Bitte https:// verwenden: über http:// wären die Antworten der "
                      "Bürger*innen unverschlüsselt unterwegs (http:// nur für localhost).",
                   "Please use https://: over http:// the citizens' answers would travel "
                   "unencrypted (http:// only for localhost).")
    if netloc_host not in _LOCAL and not _HOST.fullmatch(host):
        raise _err(s, f"„{host}“ ist kein gültiger Rechnername.",
                   f"“{host}” is not a valid host name.")
    path = parts.path[:-1] if parts.path.endswith("/") else parts.path
    if path and any(seg in (".", "..") or not _SEGMENT.fullmatch(seg)
                    for seg in path[1:].split("/")):
        raise _err(s, "Der Pfad der Adresse ist ungültig (leere, „.“- oder „..“-Abschnitte "
                      "oder Sonderzeichen).",
                   "The address's path is invalid (empty, “.” or “..” segments or special "
                   "characters).")
    default_port = {"https": 443, "http": 80}[scheme]
    netloc = netloc_host if port in (None, default_port) else f"{netloc_host}:{port}"
    return urlunsplit((scheme, netloc, path, "", ""))


# --- texts ------------------------------------------------------------------------------------

def check_text(key: str, value: str) -> str:
    """``value`` trimmed, line breaks as ``\\n``, if it is plain text within the limit."""
    s = spec(key)
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    multi = s.kind == "text"
    for ch in text:
        if ch == "\n" and multi:
            continue
        if ch == "\n":
            raise _err(s, "Bitte in einer Zeile angeben (ohne Zeilenumbruch).",
                       "Please give it on one line (no line break).")
        if unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch != "\t":
            raise _err(s, f"Der Text enthält ein Steuerzeichen (U+{ord(ch):04X}).",
                       f"The text contains a control character (U+{ord(ch):04X}).")
    if len(text) > s.limit:
        raise _err(s, f"Der Text ist zu lang ({len(text)} Zeichen, höchstens {s.limit}).",
                   f"The text is too long ({len(text)} characters, at most {s.limit}).")
    return text


# --- logo -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LogoInfo:
    format: str  # "PNG" or "JPEG"
    width: int
    height: int

    @property
    def mime(self) -> str:
        return "image/png" if self.format == "PNG" else "image/jpeg"


def check_logo(data: bytes) -> LogoInfo:
    """What the logo is, if ``data`` is a complete PNG or JPEG within the limits."""
    s = _BY_KEY["logo"]
    if len(data) > LOGO_MAX_BYTES:
        raise _err(s, f"Die Datei ist zu groß ({len(data) / 1024 / 1024:.1f} MiB, höchstens "
                      "1 MiB).".replace(".", ",", 1),
                   f"The file is too large ({len(data) / 1024 / 1024:.1f} MiB, at most 1 MiB).")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        expected = "PNG"
    elif data.startswith(b"\xff\xd8\xff"):
        expected = "JPEG"
    else:
        raise _err(s, "Die Datei ist kein PNG- oder JPEG-Bild (SVG wird nicht angenommen, weil "
                      "es Skripte enthalten kann).",
                   "The file is not a PNG or JPEG image (SVG is refused because it can contain "
                   "scripts).")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt, (width, height) = img.format, img.size
            if fmt == expected and max(width, height) <= LOGO_MAX_SIDE:
                img.load()  # decode every byte: a truncated or broken file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as exc:
        raise _err(s, "Das Bild ist beschädigt oder unvollständig und lässt sich nicht "
                      "öffnen.", f"The image is broken or incomplete ({exc}).") from exc
    if fmt != expected:
        raise _err(s, "Der Inhalt der Datei passt nicht zu ihrem Bildformat.",
                   f"The file's content does not match its image format ({fmt}).")
    if max(width, height) > LOGO_MAX_SIDE:
        raise _err(s, f"Das Bild ist zu groß ({width} × {height} Pixel, höchstens "
                      f"{LOGO_MAX_SIDE} je Seite).",
                   f"The image is too large ({width} x {height} pixels, at most "
                   f"{LOGO_MAX_SIDE} a side).")
    return LogoInfo(expected, width, height)


# --- any setting ------------------------------------------------------------------------------

def check_value(key: str, value: str | bytes) -> str | bytes:
    """``value`` as it is stored, or the rule it breaks."""
    s = spec(key)
    if s.kind == "logo":
        if not isinstance(value, bytes):
            raise _err(s, "Bitte eine Bilddatei hochladen.", "Please upload an image file.")
        check_logo(value)
        return value
    if isinstance(value, bytes):
        raise _err(s, "Hier ist Text erwartet.", "Text is expected here.")
    if s.kind == "colour":
        return check_colour(value)
    if s.kind == "url":
        return check_base_url(value)
    if s.kind == "min_n":
        text = value.strip()
        try:
            return str(check_min_n(int(text)))
        except (ValueError, ValidationError):
            raise _err(s, f"Bitte eine ganze Zahl von {MIN_N_FLOOR} bis {MAX_MIN_N} angeben "
                          f"(nicht „{text}“): darunter ließen sich einzelne Befragte erkennen.",
                       f"Please give a whole number from {MIN_N_FLOOR} to {MAX_MIN_N} (not "
                       f"“{text}”): below that, single respondents could be recognised.") \
                from None
    return check_text(key, value)
