"""The attack harness of issue 10: what a curious planner or citizen can work out by combining
published figures (DESIGN §3.3 "Differencing").

It lives in the tests because it is an attacker, not product code. ``model`` is what the
attacker sees (every shown cell of every allowed view, as its full 7-bin histogram), ``truth``
the raw responses read with pandas straight from the database (never through the engine),
``families`` the single-equation attacks, ``harness`` runs them and counts recoveries,
``lp`` bounds hidden cells from all shown cells together, ``public`` attacks the thank-you
page before and after one submission, ``old_engine`` publishes the views as the engine
before the fix did (each table suppressed on its own: the proof that the harness still sees
leaks), ``run`` is the full run as a script (``.venv/bin/python -m tests.analysis.attack.run``).
"""
