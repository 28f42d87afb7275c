"""The sidebar's order holds every page exactly once, and the pages are the ones the
permission table knows (a page missing from the order would vanish from the sidebar)."""

from __future__ import annotations

import ast
from pathlib import Path

from stadtraum.accounts.auth import PAGES as ALLOWED

APP = Path(__file__).resolve().parents[2] / "streamlit_app.py"


def _assigned(name: str) -> ast.expr:
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return node.value
    raise AssertionError(f"{name} is not assigned in streamlit_app.py")


def test_every_page_is_in_the_order_exactly_once() -> None:
    pages = _assigned("PAGES")
    assert isinstance(pages, ast.Dict)
    keys = [ast.literal_eval(k) for k in pages.keys if k is not None]
    order = ast.literal_eval(_assigned("ORDER"))
    assert len(order) == len(set(order)), "a page is listed twice"
    assert set(keys) <= set(order), f"pages missing from the order: {set(keys) - set(order)}"
    assert set(keys) == set(ALLOWED), "the app's pages and the permission table differ"
