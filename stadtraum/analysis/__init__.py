"""The one statistics engine (DESIGN §3.3): the in-memory cube of all responses and its
loading, histograms → statistics, suppression, results per area and level, the planners' shared
filter, comparisons (area vs parent, city, other areas, waves), the area profile, priorities,
comments and the overview table.

May use: charts (the profile and wave views hand radar series to the chart builder), geo (wave
matching by overlap), store, files and the shared base. Every view and export takes its
figures from :func:`stadtraum.analysis.results.compute_results`; nothing here draws.
"""
