"""Streamlit glue: the only part of the library that imports streamlit.

Grouped like the library (``collect``, ``analysis``, ``maps``, ``focus``, ``citizen``,
``admin``, ``paper``); what every page needs (language, sign-in session, shared state, style,
literal text, presentation mode) lies directly in ``ui``. May use every package.
"""
