"""The city's settings (name, logo, colour, public address, privacy texts, Impressum,
accessibility statement, default min_n): one row per setting that an admin has set in the
browser. A setting without a row falls back to its environment variable, then to the built-in
default (:mod:`stadtraum.admin.city_settings` resolves and shows which)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from stadtraum.store.db_base import Base, utcnow

__all__ = ["CitySetting"]


class CitySetting(Base):
    __tablename__ = "city_settings"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text, nullable=True)  # text settings
    blob: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # the logo
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # bumped by every change: a form that carries an older one is a conflict
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
