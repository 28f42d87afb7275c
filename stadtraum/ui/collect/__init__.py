"""Streamlit glue of the street interview: the wizard's flow and steps and the browser's
position."""
