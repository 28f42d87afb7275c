"""Publication: the published snapshot of a campaign's results, the only source of every
public figure (DESIGN §3.3): the citizens' thank-you page today; published URLs, open data and
reports to come.

May use: analysis (the one engine's suppressed results), accounts (the permission), store and
the shared base. Planners' live views stay exact and do not come from here.
"""
