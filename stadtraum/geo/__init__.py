"""Areas and geometry: reading boundary files, CRS detection, cleaning the coverage, deriving
parents, display geometry, point → area, importing a level as a boundary set, the stored level's
point index, touching neighbours, and the street directory (street → area).

May use: files, store, accounts (each import checks its actor) and the shared base. The pure
parts (``read``, ``crs``, ``clean``, ``coverage``, ``hierarchy``, ``display``, ``locate``) take
and return plain geometry.
"""
