"""Point → area assignment against the stored boundaries of a level (cached per level).

Areas of a stored level never change (a re-import creates a new level), so a locator built
once per (database, level) stays valid for the life of the process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import shapely
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stadtraum.geo.locate import AreaLocator
from stadtraum.store.db import Area

_CACHE: dict[tuple[str, int], tuple[AreaLocator, list[str]]] = {}
_LOCK = threading.Lock()


def level_locator(session: Session, level_id: int) -> tuple[AreaLocator, list[str]]:
    bind = session.get_bind()
    key = (str(bind.engine.url), level_id)
    with _LOCK:
        if key not in _CACHE:
            rows = session.execute(select(Area.code, Area.geometry_wkb)
                                   .where(Area.level_id == level_id).order_by(Area.id)).all()
            codes = [str(c) for c, _ in rows]
            geoms = [shapely.from_wkb(bytes(g)) for _, g in rows]
            _CACHE[key] = (AreaLocator(geoms), codes)
        return _CACHE[key]


def locate_point(session: Session) -> Callable[[float, float, int], str | None]:
    """A function (lon, lat, level id) -> area code or None, for :func:`submit_response`."""
    def locate(lon: float, lat: float, level_id: int) -> str | None:
        locator, codes = level_locator(session, level_id)
        idx = int(locator.locate(np.array([lon]), np.array([lat]))[0])
        return codes[idx] if idx >= 0 else None
    return locate


def area_code_at(engine: Engine, level_id: int, lon: float, lat: float) -> str | None:
    """The code of the area of ``level_id`` containing the point (WGS84), or None."""
    with Session(engine) as session:
        return locate_point(session)(lon, lat, level_id)
