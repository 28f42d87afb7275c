"""The pure checks of the city settings: the WCAG 2.x contrast ratio against known values, the
colour's contrast rule, the public address's normalisation and refusals, plain-text limits and
the logo's image checks (real PNG and JPEG files made with Pillow)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from stadtraum.admin.city_setting_rules import (
    LOGO_MAX_BYTES,
    check_base_url,
    check_colour,
    check_logo,
    check_text,
    check_value,
    contrast_ratio,
    ratio_text,
)
from stadtraum.errors import ValidationError


def image_bytes(fmt: str, size: tuple[int, int] = (40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (31, 95, 153)).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(("colour", "other", "expected"), [
    ("#767676", "#ffffff", "4,54:1"),  # the lightest grey that passes AA on white
    ("#777777", "#ffffff", "4,47:1"),  # one step lighter fails (4.48 rounded half-up)
    ("#595959", "#ffffff", "7,00:1"),  # AAA's 7:1
    ("#000000", "#ffffff", "21,00:1"),
    ("#ffffff", "#ffffff", "1,00:1"),
    ("#ff0000", "#ffffff", "3,99:1"),  # pure red: 3.998
    ("#0000ff", "#ffffff", "8,59:1"),
])
def test_contrast_ratio_matches_known_wcag_values(colour: str, other: str,
                                                  expected: str) -> None:
    assert ratio_text(contrast_ratio(colour, other)) == expected
    assert contrast_ratio(colour, other) == pytest.approx(contrast_ratio(other, colour))


def test_the_ratio_is_rounded_down_so_a_fail_never_reads_as_a_pass() -> None:
    assert 4.47 < contrast_ratio("#777777") < 4.5
    assert ratio_text(4.4999) == "4,49:1" and ratio_text(4.4999, "en") == "4.49:1"


def test_a_colour_is_normalised_and_a_light_one_refused_with_its_ratio() -> None:
    assert check_colour(" #1F5F99 ") == "#1f5f99"
    assert check_colour("#000") == "#000000"
    assert check_colour("767676") == "#767676"
    with pytest.raises(ValidationError) as err:
        check_colour("#777777")
    assert err.value.field == "main_colour"
    assert "Hauptfarbe: Der Kontrast von #777777 zu Weiß ist 4,47:1" in err.value.message_de
    assert "mindestens 4,5:1" in err.value.message_de
    with pytest.raises(ValidationError, match="not a colour"):
        check_colour("rot; } body { display:none")


@pytest.mark.parametrize(("raw", "normalised"), [
    ("https://Mitmachen.Stadt.DE/", "https://mitmachen.stadt.de"),
    ("https://stadt.de:443", "https://stadt.de"),
    ("https://stadt.de:8443/stadtraum/", "https://stadt.de:8443/stadtraum"),
    ("http://localhost:8501", "http://localhost:8501"),
    ("http://127.0.0.1", "http://127.0.0.1"),
    ("", ""),
])
def test_a_base_address_is_normalised(raw: str, normalised: str) -> None:
    assert check_base_url(raw) == normalised


@pytest.mark.parametrize(("raw", "reason"), [
    ("http://stadt.de", "Bitte https:// verwenden"),
    ("ftp://stadt.de", "keine vollständige Adresse"),
    ("javascript:alert(1)", "keine vollständige Adresse"),
    ("stadt.de", "keine vollständige Adresse"),
    ("https://nutzer:pw@stadt.de", "enthält „@“"),
    ("https://stadt.de/?t=abc", "enthält „?“"),
    ("https://stadt.de/#x", "enthält „#“"),
    ("https://stadt.de/%2e%2e/", "enthält „%“"),
    ("https://stadt.de/a/../b", "Pfad der Adresse ist ungültig"),
    ("https://stadt.de//evil.example", "Pfad der Adresse ist ungültig"),
    ("https://stadt.de\\@evil.example", "enthält „\\“"),
    ("https://stadt de", "enthält Leerzeichen"),
    ("https://-stadt.de", "kein gültiger Rechnername"),
    ("https://stadt.de:99999", "keine vollständige Adresse"),
    ("https://" + "a" * 200 + ".de", "zu lang"),
])
def test_a_bad_base_address_is_refused_in_german(raw: str, reason: str) -> None:
    with pytest.raises(ValidationError) as err:
        check_base_url(raw)
    assert err.value.field == "public_base_url"
    assert err.value.message_de.startswith("Öffentliche Adresse (Links und QR-Codes): ")
    assert reason in err.value.message_de


def test_texts_are_trimmed_plain_and_limited() -> None:
    assert check_text("imprint", "  Stadt Beispiel\r\nRathausplatz 1  ") == \
        "Stadt Beispiel\nRathausplatz 1"
    with pytest.raises(ValidationError, match="one line"):
        check_text("city_name", "Bochum\nStadt")
    with pytest.raises(ValidationError) as err:
        check_text("city_name", "x" * 81)
    assert "zu lang (81 Zeichen, höchstens 80)" in err.value.message_de
    with pytest.raises(ValidationError, match="U\\+0007"):
        check_text("privacy_notice", "Hinweis\x07")
    assert len(check_text("accessibility", "a" * 8000)) == 8000


def test_a_png_and_a_jpeg_pass_and_report_their_format() -> None:
    assert check_logo(image_bytes("PNG")).format == "PNG"
    assert check_logo(image_bytes("JPEG")).mime == "image/jpeg"


@pytest.mark.parametrize(("data", "reason"), [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "kein PNG- oder JPEG-Bild (SVG"),
    (b"GIF89a" + b"\x00" * 40, "kein PNG- oder JPEG-Bild"),
    (image_bytes("PNG")[:60], "beschädigt oder unvollständig"),
    (b"\x89PNG\r\n\x1a\n" + b"kein bild" * 10, "beschädigt oder unvollständig"),
    (b"\xff\xd8\xff" + image_bytes("PNG")[3:], "beschädigt oder unvollständig"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * LOGO_MAX_BYTES, "zu groß (1,0 MiB, höchstens 1 MiB)"),
    (image_bytes("PNG", (5000, 10)), "zu groß (5000 × 10 Pixel"),
])
def test_a_bad_logo_is_refused_in_german(data: bytes, reason: str) -> None:
    with pytest.raises(ValidationError) as err:
        check_logo(data)
    assert err.value.field == "logo" and err.value.message_de.startswith("Logo: ")
    assert reason in err.value.message_de


@pytest.mark.parametrize("raw", ["2", "101", "drei", "3.5", ""])
def test_the_default_min_n_stays_from_3_to_100(raw: str) -> None:
    with pytest.raises(ValidationError) as err:
        check_value("default_min_n", raw)
    assert err.value.field == "default_min_n"
    assert "ganze Zahl von 3 bis 100" in err.value.message_de
    assert check_value("default_min_n", " 3 ") == "3"
