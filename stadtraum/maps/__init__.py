"""Maps: folium choropleths and the area picker, colour scales, legends, the SVG image,
the display GeoJSON of a level, and the map page's data path and view model.

Sits above ``analysis``: a map colours the engine's published results, so ``area_values``,
``view_model`` and ``page_data`` read :class:`~stadtraum.analysis.results.Results`; the pure
builders (``choropleth``, ``picker``, ``colours``, ``legend``, ``static_svg``) take plain data.
May use: analysis, charts, geo, store and the shared base.
"""
