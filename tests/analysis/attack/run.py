"""The full attack run on the demo city: ``.venv/bin/python -m tests.analysis.attack.run``.

Loads the demo into a temporary SQLite database (or uses ``--db URL`` with the demo loaded),
runs every single-equation family on both waves (campaign unions under every view), the LP
bound for each dimension (characteristics, months, modes, campaigns) and column (each
criterion, the respondents) of wave 2, and the thank-you page attack on a copy; prints the
counts and every LP cell with n < min_n that is narrow. Slower than the CI tests (several
minutes with all criteria).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from stadtraum.criteria import get_catalogue
from stadtraum.demo.loader import load_demo
from tests.analysis.attack.harness import run_attacks
from tests.analysis.attack.lp import DIMENSIONS, lp_bounds
from tests.analysis.attack.model import Attacker, View, sqlite_engine
from tests.analysis.attack.public import thank_you_attack
from tests.analysis.attack.truth import Truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lp-criteria", type=int, default=len(get_catalogue().ids),
                        help="how many criteria the LP bounds (default: all)")
    parser.add_argument("--no-lp", action="store_true")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="stadtraum-attack-"))
    try:
        engine = sqlite_engine(f"sqlite:///{folder / 'demo.db'}")
        load_demo(engine)
        engine.dispose()
        shutil.copy(folder / "demo.db", folder / "public.db")  # the page attack writes
        engine = sqlite_engine(f"sqlite:///{folder / 'demo.db'}")
        att = Attacker(engine)
        for target, other in ((2, 1), (1, 2)):
            start = time.perf_counter()
            report = run_attacks(engine, target, other=other, union_views="all", attacker=att)
            print("\n".join(report.lines()), f"\n({time.perf_counter() - start:.0f} s)\n")
        if not args.no_lp:
            att.publish(View((2,)))
            assert att.layout is not None
            truth = Truth(engine, att.layout, att.criteria)
            columns = [*range(min(args.lp_criteria, len(att.criteria))), len(att.criteria)]
            for dimension in DIMENSIONS:
                narrow = bounded = small = strict = 0
                start = time.perf_counter()
                for column in columns:  # the criteria, then the respondents
                    lp = lp_bounds(att, truth, 2, dimension, column)
                    narrow, bounded = narrow + lp.narrow, bounded + lp.bounded
                    small, strict = small + lp.small_narrow, strict + lp.strict
                    print(lp.line())
                    for cell in lp.cells:
                        if cell.narrow and cell.true_n < cell.min_n:
                            print(f"    n < min_n: {cell}")
                print(f"LP {dimension}: {narrow} of {bounded} hidden cells narrow, {small} of "
                      f"them with n < min_n; {strict} narrower than one point whatever the "
                      f"shown span ({time.perf_counter() - start:.0f} s)\n")
        engine.dispose()
        public = sqlite_engine(f"sqlite:///{folder / 'public.db'}")
        with public.connect() as conn:
            area = str(conn.execute(text(
                "SELECT a.code FROM responses r JOIN areas a ON a.id = r.area_id WHERE "
                "r.campaign_id = 2 GROUP BY a.code ORDER BY COUNT(*) DESC, a.code LIMIT 1"))
                .scalar_one())
        ids = get_catalogue().ids
        neighbour = dict(zip(ids, [5, 3, 4, 6, 2, 7, 5, 4, 3, 6, 5, 2, 4, 0], strict=True))
        first = dict(zip(ids, [4, 4, 5, 3, 4, 6, 2, 4, 5, 3, 4, 4, 6, 3], strict=True))
        attack = thank_you_attack(public, 2, area, neighbour, first)
        print(f"thank-you page, area {area}: {attack.recovered} of {len(ids)} answers of the "
              f"neighbour recovered exactly (respondents {attack.respondents})")
        public.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
