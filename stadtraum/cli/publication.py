"""Publication commands: ``export results|comments|open-data`` and ``report`` (acting as the
system actor, audited under its name)."""

from __future__ import annotations

import argparse

from sqlalchemy.engine import Engine

__all__ = ["add_parsers", "run"]


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Top-level commands (``export``, ``report``)."""


def run(engine: Engine, args: argparse.Namespace) -> str | None:
    """The command's output, or None when ``args`` is not one of these commands."""
    return None
