"""Streamlit glue of maps: the planners' map page, the folium component with its click
handling, and the area picker of the interview."""
