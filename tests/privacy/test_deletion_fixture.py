"""A small city with responses for the deletion tests: five others and one target response
(with a correction) whose comment carries a unique marker."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import numpy as np
from sqlalchemy.engine import Engine

from stadtraum.analysis.cube import CubeFilter, ResponseCube
from stadtraum.collect.submit import submit_response
from tests.helpers import City, make_city, make_payload

CRIT = "moving_around"


@dataclass(frozen=True)
class Planted:
    city: City
    target: str  # the UUID of the first version
    correction: str  # the UUID of the second version (replaces the first)
    marker: str


def plant(engine: Engine, *, with_correction: bool = True) -> Planted:
    city = make_city(engine)
    for score in (1, 2, 3, 4, 5):
        submit_response(engine, make_payload(city.campaign_id, "Q1", {CRIT: score}))
    marker = "MARKER" + uuid.uuid4().hex.upper()
    target = str(uuid.uuid4())
    submit_response(engine, make_payload(
        city.campaign_id, "Q1", {CRIT: 7, "natural_space": 6}, response_id=target,
        comments=[(CRIT, "better", f"Bitte Radweg, ruft mich an: {marker}")],
        priorities=(CRIT,)))
    correction = str(uuid.uuid4())
    if with_correction:
        submit_response(engine, make_payload(
            city.campaign_id, "Q1", {CRIT: 6, "natural_space": 6}, response_id=correction,
            replaces=target, comments=[(CRIT, "better", f"korrigiert {marker}")]))
    return Planted(city, target, correction, marker)


def counts(cube: ResponseCube, campaign_id: int) -> list[int]:
    """The campaign's valid histogram of CRIT over all areas (scores 1..7)."""
    area_pos = np.zeros(int(cube.col("area").max(initial=0)) + 64, dtype=np.int64)
    hist, _ = cube.histograms(CubeFilter((campaign_id,)), area_pos, 1)
    return [int(v) for v in hist[0, cube.criteria.index(CRIT)]]


CHILD_SCRIPT = """
import json, sys
import numpy as np
from stadtraum.analysis.cube_store import CubeProvider
from stadtraum.store.engine import make_engine
from tests.privacy.test_deletion_fixture import counts
engine = make_engine(sys.argv[1])
provider = CubeProvider(engine)
for line in sys.stdin:
    print(json.dumps(counts(provider.get(), int(sys.argv[2]))), flush=True)
"""


def read_json_line(stream: object) -> list[int]:
    line = stream.readline()  # type: ignore[attr-defined]
    assert line, "child process ended"
    return list(json.loads(line))
