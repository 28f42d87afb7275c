"""Printable, self-contained reports per area and for the city: HTML (offline) and PDF."""
