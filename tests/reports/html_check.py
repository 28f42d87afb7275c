"""An independent reading of a report's HTML (the standard library's parser): every element
with its attributes, the text, and the table rows."""

from __future__ import annotations

import re
from html.parser import HTMLParser

URL = re.compile(r"https?://", re.IGNORECASE)


class Parsed(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._style = False
        self.styles: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "style":
            self._style = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None
        elif tag == "style":
            self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:
            self.styles.append(data)
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def tags(self, name: str) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.elements if tag == name]

    @property
    def all_text(self) -> str:
        return "".join(self.text)

    def table_with(self, header: str) -> list[list[str]]:
        """The rows of the first table whose header row contains ``header``."""
        for table in self.tables:
            if table and header in table[0]:
                return table
        raise AssertionError(f"no table with header {header!r}")


def assert_self_contained(parsed: Parsed) -> None:
    """No script, no outside reference in any src/href or style, no event handler."""
    assert not parsed.tags("script") and not parsed.tags("link") and not parsed.tags("iframe")
    for tag, attrs in parsed.elements:
        for name, value in attrs.items():
            assert not name.lower().startswith("on"), (tag, name)
            if name.lower() in ("src", "href", "xlink:href", "srcset", "action"):
                assert not URL.search(value), (tag, name, value)
                assert value.startswith(("data:image/", "#")), (tag, name, value[:40])
    css = "".join(parsed.styles)
    assert "@import" not in css and not URL.search(css) and "url(" not in css
