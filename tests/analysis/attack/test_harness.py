"""The attack harness of issue 10 against the engine (real engine, real SQLite database).

Before the fix (engine of 3efe775, the commit before e0e2dae "Statistics read every view
from its campaign group's jointly suppressed family") these tests asserted that the harness
finds *at least* the named numbers of recoveries. Since the fix each of those constants is 0
and is compared with ``==``. That the harness can still fail is shown on a small planted town
through the engine before the fix (:mod:`tests.analysis.attack.old_engine`, each view
suppressed on its own): there it finds the planted groups in every family, and through
today's engine, in the same town, none. What must hold before and after: the harness's
model of the filters agrees with the raw data (no mismatches), and subtraction across levels
alone recovers nothing. Hypothesis draws small random towns (one or two campaigns) through
the whole harness and the LP bounds.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.engine import Engine

from stadtraum.citizen.thanks import area_profile
from stadtraum.collect.submit import submit_response
from stadtraum.criteria import get_catalogue
from stadtraum.demo.loader import load_demo
from stadtraum.vocab import AGE_BANDS, GENDERS, MODES, RELATIONS
from tests.analysis.attack.harness import AttackReport, run_attacks
from tests.analysis.attack.lp import DIMENSIONS, LPReport, lp_bounds
from tests.analysis.attack.model import Attacker, View, sqlite_engine
from tests.analysis.attack.old_engine import OldEngineAttacker
from tests.analysis.attack.public import thank_you_attack
from tests.analysis.attack.truth import Truth
from tests.helpers import City, add_campaign, make_city, make_payload

WAVE_1, WAVE_2 = 1, 2  # the demo's campaign ids, in loading order

# Before the fix (3efe775): the one person aged 65+ among six in Q1 was recovered (all ages
# minus all but 65+); the old-engine adapter still finds it. Since the fix (e0e2dae): 0.
TINY_RECOVERIES_AFTER_FIX = 0
# Before the fix: issue 10 counted 233 recoverable groups under min_n in the demo's second
# wave (229 exact, 71 single people); the harness found 12,248 groups in wave 2 and 12,096
# in wave 1, every one recovered exactly (docs/statistik.md, "Angriffsprüfung"; the test
# asserted >= 233). The target since the fix: 0 in both waves. Measured on e0e2dae: every
# single-view-pair family 0, but "cross" (a district's "all minus shown genders" minus the
# same for some of its quarters) recovered 20 groups per wave, exactly. Since the solver hides
# a table equation's parts all or none (rule 4) and gives hidden totals partners too: 0.
DEMO_RECOVERIES_AFTER_FIX = 0
# Before the fix: hidden age-band cells of "moving_around" whose LP bound is narrower than one
# rating point or whose n is pinned below min_n (measured: 65 of 66; the test asserted
# >= 60). The target since the fix: 0, for every dimension of the new filter. Measured on
# e0e2dae ("moving_around" and the respondents, wave 2): 35 narrow, 1 of them with n < min_n
# (gender "keine Angabe" in quarter 604: n = 2, mean pinned to 4.0). Since rule 4: no hidden
# cell with n < min_n is narrow (the groups suppression protects). Still narrow: hidden cells
# with n >= min_n, hidden only as partners, no small group (2 while the waves were solved
# together with their union; 35 since each wave is solved alone, nearly all in the mode
# tables, where the street interviews are most of "all"). Counted so that any change shows;
# issue 10 keeps them as an open question (docs/statistik.md).
LP_NARROW_AFTER_FIX = 0  # hidden cells with n < min_n
LP_LARGE_NARROW_KNOWN = 35  # hidden cells with n >= min_n
# Before the fix (7488fe4): the thank-you page before and after gave every one of the
# neighbour's 14 answers ("keine Angabe" included). Since the page reads the published snapshot
# (rounded, no n, a cell renewed only after min_n new ratings): 0, even when the city
# republishes after every single submission.
THANK_YOU_RECOVERED = 0
_NEW_FAMILIES = ("complementary", "periods", "modes", "unions", "waves", "cross", "direct")


def _new_engine(path: Path) -> Engine:
    return sqlite_engine(f"sqlite:///{path}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = _new_engine(tmp_path_factory.mktemp("attack") / "demo.db")
    load_demo(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def demo_attacker(demo: Engine) -> Attacker:
    return Attacker(demo)  # shares the computed views between the tests of this module


def _tiny(path: Path, ages: list[str]) -> tuple[Engine, City]:
    """Six people per quarter in Q1, Q2 (district D1) and Q3 (D2); Q1's ages as given."""
    engine = _new_engine(path)
    city = make_city(engine, min_n=5)
    for quarter in ("Q1", "Q2", "Q3"):
        for i in range(6):
            age = ages[i] if quarter == "Q1" else "30_44"
            score = 2 if age == "65plus" else 5
            submit_response(engine, make_payload(
                city.campaign_id, quarter, {"moving_around": score, "housing": 4 + i % 2},
                age_band=age, gender="female", relation="live"))
    return engine, city


def _planted(path: Path) -> tuple[Engine, int, int]:
    """The tiny town with one planted group per attack: Q1's one person aged 65+ (rating 2),
    Q1's one answer in June, Q2's one focus group, Q3's one person aged 65+ next to five of
    the second campaign (which has five aged 30–44 per quarter too). Returns the engine
    and the two campaigns."""
    engine, city = _tiny(path, ["30_44"] * 5 + ["65plus"])
    first = city.campaign_id
    june = dt.date(2025, 6, 3)
    submit_response(engine, make_payload(first, "Q1", {"moving_around": 7, "housing": 6},
                                         age_band="45_64", gender="male", relation="work",
                                         survey_date=june))
    submit_response(engine, make_payload(first, "Q2", {"moving_around": 1, "housing": 1},
                                         mode="focus_group", participants=4,
                                         age_band="18_29", gender="male", relation="visit"))
    submit_response(engine, make_payload(first, "Q3", {"moving_around": 3, "housing": 3},
                                         age_band="65plus", gender="female", relation="live"))
    second = add_campaign(engine, city, "Zweite Befragung", min_n=5)
    for quarter in ("Q1", "Q2", "Q3"):
        for i in range(10):
            submit_response(engine, make_payload(
                second, quarter, {"moving_around": 4 + i % 3, "housing": 5},
                age_band="65plus" if i < 5 else "30_44", gender="female", relation="live"))
    return engine, first, second


def _print(report: AttackReport, start: float) -> None:
    print("\n".join(report.lines()), f"\n{time.perf_counter() - start:.1f} s")


def test_harness_finds_the_planted_recoveries_in_the_engine_before_the_fix(
        tmp_path: Path) -> None:
    """The harness is not blind: through the engine before the fix (per-table masks) it finds
    the planted groups, each in the family that plants it."""
    engine, first, second = _planted(tmp_path / "planted.db")
    start = time.perf_counter()
    att = OldEngineAttacker(engine)
    report = run_attacks(engine, first, other=second, union_views="complement", attacker=att)
    _print(report, start)
    assert report.mismatches == 0
    assert report.families["levels"].groups == 0
    assert report.total.recoveries >= 1
    for family in ("complementary", "nested", "periods", "modes", "unions", "waves", "cross"):
        assert report.families[family].recoveries >= 1, family
    found = [g for g in report.groups if g.n == 1 and g.criterion == 0 and g.row == 0
             and g.family == "complementary"]
    assert found and all(g.estimate == g.true_mean and g.exact for g in found)
    assert 2.0 in {g.true_mean for g in found}  # Q1's person aged 65+, exactly
    respondents = len(att.criteria)
    assert any(g.criterion == respondents for g in report.groups)  # respondent counts too
    engine.dispose()


def test_todays_engine_recovers_nothing_in_the_planted_town(tmp_path: Path) -> None:
    engine, first, second = _planted(tmp_path / "planted.db")
    start = time.perf_counter()
    att = Attacker(engine)
    for target, other in ((first, second), (second, first)):
        report = run_attacks(engine, target, other=other, union_views="all", attacker=att)
        _print(report, start)
        assert report.mismatches == 0
        assert report.index_mismatches == 0
        assert report.total.groups == TINY_RECOVERIES_AFTER_FIX
        assert report.total.recoveries == TINY_RECOVERIES_AFTER_FIX
    assert att.refused > 0  # the old attacks ask for views the filter now refuses
    engine.dispose()


def test_harness_finds_nothing_where_nothing_leaks(tmp_path: Path) -> None:
    engine, city = _tiny(tmp_path / "plain.db", ["30_44"] * 6)
    campaign = city.campaign_id
    for att in (Attacker(engine), OldEngineAttacker(engine)):
        report = run_attacks(engine, campaign, families=("complementary", "nested", "levels"),
                             attacker=att)
        assert report.mismatches == 0
        assert report.total.groups == 0  # the harness does not invent recoveries
    engine.dispose()


def _check_lp(*reports: LPReport, large: int | None = None) -> None:
    """Every bound contains the truth; then no hidden cell is narrow (all reports first, so
    a failure lists every dimension)."""
    for report in reports:
        assert all(c.n_low <= c.true_n + 1e-6 and c.true_n <= c.n_high + 1e-6
                   and c.mean_low - 1e-6 <= c.true_mean <= c.mean_high + 1e-6
                   for c in report.cells), f"an LP bound excludes the truth: {report.line()}"
    narrow = [(r.dimension, r.criterion, c) for r in reports for c in r.cells if c.narrow]
    small = [x for x in narrow if x[2].true_n < x[2].min_n]
    assert len(small) == LP_NARROW_AFTER_FIX, (
        f"{len(narrow)} narrow hidden cells, {len(small)} of them with n < min_n", small[:5])
    if large is not None:  # the demo: the known number of large narrow cells (no group < min_n)
        assert len(narrow) - len(small) <= large, ("more large hidden cells are narrow", narrow)


@pytest.mark.slow
def test_demo_recoveries_after_the_fix(demo: Engine, demo_attacker: Attacker) -> None:
    reports = []
    for target, other in ((WAVE_2, WAVE_1), (WAVE_1, WAVE_2)):  # both waves, then the checks
        start = time.perf_counter()
        reports.append(run_attacks(demo, target, other=other, attacker=demo_attacker))
        _print(reports[-1], start)
    for report in reports:
        assert report.mismatches == 0, "the harness's filter model disagrees with the raw data"
        assert report.index_mismatches == 0, "the overall index is not the mean of shown means"
        assert report.families["levels"].groups == 0  # cross-level suppression holds
        for family in _NEW_FAMILIES:
            assert report.families[family].equations > 0, family  # each family was tried
    for report in reports:
        assert report.total.recoveries == DEMO_RECOVERIES_AFTER_FIX, \
            [(g.family, g.equation, g.criterion, g.n) for g in report.groups[:5]]
        assert report.total.groups == DEMO_RECOVERIES_AFTER_FIX


@pytest.mark.slow
def test_lp_bounds_one_criterion_every_dimension(demo: Engine,
                                                demo_attacker: Attacker) -> None:
    demo_attacker.publish(View((WAVE_2,)))
    assert demo_attacker.layout is not None
    truth = Truth(demo, demo_attacker.layout, demo_attacker.criteria)
    reports = []
    for dimension in DIMENSIONS:
        for column in (0, len(demo_attacker.criteria)):  # moving_around, the respondents
            start = time.perf_counter()
            reports.append(lp_bounds(demo_attacker, truth, WAVE_2, dimension, column))
            print(reports[-1].line(), f"({time.perf_counter() - start:.1f} s)")
    assert sum(r.bounded for r in reports) > 0  # there were hidden cells to bound
    _check_lp(*reports, large=LP_LARGE_NARROW_KNOWN)


# --- Hypothesis: small random towns -------------------------------------------------------

_CRITERIA = get_catalogue().ids[:3]
_START = dt.date(2026, 5, 1)  # responses over May and June (offsets 0..60)


@st.composite
def _responses(draw: st.DrawFn, quarters: int) -> list[dict[str, object]]:
    def maybe(codes: tuple[str, ...]) -> st.SearchStrategy[str | None]:
        return st.one_of(st.none(), st.sampled_from(codes))

    score = st.one_of(st.none(), st.integers(1, 7))
    rows = draw(st.lists(st.fixed_dictionaries({
        "quarter": st.integers(0, quarters - 1),
        "mode": st.sampled_from(MODES.codes),
        "age_band": maybe(AGE_BANDS.codes), "gender": maybe(GENDERS.codes),
        "relation": maybe(RELATIONS.codes), "day": st.integers(0, 60),
        "ratings": st.tuples(*(score for _ in _CRITERIA)),
    }), min_size=5, max_size=30))
    for row in rows:  # at least one rating per response
        ratings = row["ratings"]
        assert isinstance(ratings, tuple)
        if all(r is None for r in ratings):
            row["ratings"] = (4, *ratings[1:])
    return rows


@st.composite
def _towns(draw: st.DrawFn) -> dict[str, object]:
    sizes = (draw(st.integers(2, 3)), draw(st.integers(2, 3)))
    quarters = sum(sizes)
    return {"sizes": sizes, "min_n": draw(st.integers(3, 5)),
            "campaigns": draw(st.lists(_responses(quarters), min_size=1, max_size=2))}


def _load_town(path: Path, town: dict[str, object]) -> tuple[Engine, list[int]]:
    sizes = town["sizes"]
    assert isinstance(sizes, tuple)
    names = iter(f"Q{i + 1}" for i in range(sum(sizes)))
    layout = {f"D{d + 1}": tuple(next(names) for _ in range(k)) for d, k in enumerate(sizes)}
    codes = [q for qs in layout.values() for q in qs]
    engine = _new_engine(path)
    min_n = town["min_n"]
    assert isinstance(min_n, int)
    city = make_city(engine, layout=layout, min_n=min_n)
    ids = [city.campaign_id]
    campaigns = town["campaigns"]
    assert isinstance(campaigns, list)
    for k, rows in enumerate(campaigns):
        if k:
            ids.append(add_campaign(engine, city, f"Befragung {k + 1}", min_n=min_n))
        for row in rows:
            ratings = dict(zip(_CRITERIA, row["ratings"], strict=True))
            submit_response(engine, make_payload(
                ids[k], codes[row["quarter"]], {c: s for c, s in ratings.items() if s},
                response_id=str(uuid.uuid4()), mode=row["mode"],
                survey_date=_START + dt.timedelta(days=row["day"]),
                age_band=row["age_band"], gender=row["gender"], relation=row["relation"]))
    return engine, ids


# Each example takes seconds (a real database, every allowed view, the LP), so: few examples,
# no deadline, and no shrinking — a failure reports the town as drawn (shrinking one took
# more than five minutes); the town is printed so that it can be replayed with _load_town.
@given(town=_towns())
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate], database=None)
def test_random_towns_recover_nothing(town: dict[str, object]) -> None:
    print(town)
    with tempfile.TemporaryDirectory(prefix="stadtraum-attack-") as folder:
        engine, ids = _load_town(Path(folder) / "town.db", town)
        att = Attacker(engine)
        for target in ids:
            other = next((c for c in ids if c != target), None)
            report = run_attacks(engine, target, other=other, union_views="complement",
                                 attacker=att)
            assert report.mismatches == 0, report.lines()
            assert report.index_mismatches == 0
            assert report.total.recoveries == 0, report.groups[:5]
            assert report.total.groups == 0, report.groups[:5]
        assert att.layout is not None
        truth = Truth(engine, att.layout, att.criteria)
        reports = [lp_bounds(att, truth, ids[0], dimension, column)
                   for dimension in DIMENSIONS
                   for column in (0, len(att.criteria))]  # the first criterion, respondents
        for report in reports:  # the bounds are sound
            assert all(c.n_low <= c.true_n + 1e-6 and c.true_n <= c.n_high + 1e-6
                       and c.mean_low - 1e-6 <= c.true_mean <= c.mean_high + 1e-6
                       for c in report.cells), report.line()
        cells = [c for r in reports for c in r.cells if c.true_n < c.min_n]
        # no small group is pinned down: its n and its mean both fixed
        assert not [c for c in cells if c.n_high - c.n_low < 1e-6
                    and c.mean_high - c.mean_low < 1e-6 and not c.count_only], cells
        # nor narrowed: the histogram audit (stadtraum.analysis.bin_audit) hides more until
        # the LP leaves every small hidden cell's mean at least a point wide (or as wide as
        # the shown cells that contain it allow) and its n unpinned
        narrow = [c for c in cells if c.narrow]
        assert not narrow, narrow[:5]
        engine.dispose()


def test_thank_you_page_reveals_nothing_of_the_neighbours_answer(tmp_path: Path) -> None:
    engine = _new_engine(tmp_path / "public.db")
    load_demo(engine)
    with engine.connect() as conn:
        area = str(conn.execute(text(
            "SELECT a.code FROM responses r JOIN areas a ON a.id = r.area_id "
            "WHERE r.campaign_id = :c GROUP BY a.code ORDER BY COUNT(*) DESC, a.code LIMIT 1"),
            {"c": WAVE_2}).scalar_one())
    ids = get_catalogue().ids
    neighbour = dict(zip(ids, [5, 3, 4, 6, 2, 7, 5, 4, 3, 6, 5, 2, 4, 0], strict=True))
    first = dict(zip(ids, [4, 4, 5, 3, 4, 6, 2, 4, 5, 3, 4, 4, 6, 3], strict=True))
    attack = thank_you_attack(engine, WAVE_2, area, neighbour, first)
    assert attack.respondents == (None, None)  # no n on any public figure
    assert attack.recovered == THANK_YOU_RECOVERED
    shown = area_profile(engine, WAVE_2, area, first, "de")
    assert shown.published and shown.area_shown == 14  # figures were there to attack
    engine.dispose()
