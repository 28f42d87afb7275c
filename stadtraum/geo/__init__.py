"""Geodata core: boundary files in, CRS checks, cleaning, hierarchy, point lookup, display.

Modules (import them directly; this package imports nothing on purpose):

- ``read``: :func:`read_boundary_file` (GeoJSON, GeoPackage, zipped Shapefile) → ``RawLayer``
- ``clean``: :func:`prepare_layer` (fields, row checks, repair, coverage cleaning)
- ``hierarchy``: :func:`derive_parents` (parent by largest overlap)
- ``locate``: :class:`AreaLocator` (vectorised point → area)
- ``display``: :func:`display_geojson` (coverage-simplified GeoJSON for maps)
"""
