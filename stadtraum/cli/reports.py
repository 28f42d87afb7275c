"""``stadtraum report``: the printable area or city report (acting as the system actor)."""

from __future__ import annotations

import argparse

from sqlalchemy.engine import Engine

__all__ = ["add_parsers", "run"]


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Top-level command ``report``."""


def run(engine: Engine, args: argparse.Namespace) -> str | None:
    """The command's output, or None when ``args`` is not this command."""
    return None
