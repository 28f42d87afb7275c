"""HTML to PDF through WeasyPrint, imported only when a PDF is wanted (it pulls in pango).

A report's HTML references nothing outside itself; WeasyPrint's URL fetcher is limited to
``data:`` anyway, so a PDF can never make a request, whatever the HTML holds.
"""

from __future__ import annotations

import logging

from stadtraum.errors import StadtraumError

__all__ = ["PdfUnavailableError", "html_to_pdf"]

log = logging.getLogger(__name__)


class PdfUnavailableError(StadtraumError):
    """WeasyPrint (or the pango library it needs) is not installed."""


def html_to_pdf(html: str) -> bytes:
    """The PDF of ``html`` (A4 and the page boxes come from the report's own CSS)."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
        from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]
    except (ImportError, OSError) as exc:  # OSError: pango/cairo libraries missing
        log.error("WeasyPrint unavailable: %s", exc)
        raise PdfUnavailableError(
            "PDF-Berichte brauchen WeasyPrint und die Pango-Bibliothek; beides ist hier "
            "nicht installiert. Bitte „pip install weasyprint“ und "
            "„scripts/install-system-deps.sh“ ausführen – oder den Bericht als HTML "
            "erstellen und im Browser drucken.",
            f"WeasyPrint is not available: {exc}") from exc
    fetcher = URLFetcher(allowed_protocols={"data"})  # nothing outside the document
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf returns bytes without a target
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
