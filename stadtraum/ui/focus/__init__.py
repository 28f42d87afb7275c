"""Streamlit glue of focus groups: choosing the session, entering ratings, the projector view."""
