"""Reading files people upload: CSV (encoding and separator detected) and XLSX into a plain
table of cells, with size limits.

May use: the shared base. Used by paper-form import and the street directory. Boundary files
(GeoJSON, GeoPackage, Shapefile) are read by :mod:`stadtraum.geo`, not here.
"""
