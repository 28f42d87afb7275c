"""The declarative base of every model and the column helpers the model modules share
(:mod:`stadtraum.store.db`, :mod:`stadtraum.store.db_city`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, Integer
from sqlalchemy.orm import DeclarativeBase

from stadtraum.vocab import Vocabulary

__all__ = ["Base", "BigId", "in_vocab", "utcnow"]

BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def in_vocab(column: str, vocab: Vocabulary, nullable: bool = False) -> CheckConstraint:
    """A CHECK that ``column`` holds one of the vocabulary's codes."""
    values = ", ".join(f"'{c}'" for c in vocab.codes)
    expr = f"{column} IN ({values})"
    if nullable:
        expr = f"{column} IS NULL OR {expr}"
    return CheckConstraint(expr, name=f"ck_{column}_vocab")


class Base(DeclarativeBase):
    pass
