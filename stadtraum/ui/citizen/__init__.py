"""Streamlit glue of the citizens' form: its session state and its steps."""
