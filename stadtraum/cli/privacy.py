"""Data-protection commands: ``responses delete``, ``campaigns purge`` and ``maintenance``
(acting as the system actor, audited under its name)."""

from __future__ import annotations

import argparse

from sqlalchemy.engine import Engine

__all__ = ["add_campaign_parsers", "add_parsers", "add_response_parsers", "run"]


def add_response_parsers(rsub: argparse._SubParsersAction) -> None:
    """Subcommands of ``stadtraum responses``."""


def add_campaign_parsers(csub: argparse._SubParsersAction) -> None:
    """Subcommands of ``stadtraum campaigns``."""


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Top-level commands (``maintenance``)."""


def run(engine: Engine, args: argparse.Namespace) -> str | None:
    """The command's output, or None when ``args`` is not one of these commands."""
    return None
