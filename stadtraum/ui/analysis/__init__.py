"""Streamlit glue of the planners' views: the shared filter sidebar, the area profile with its
charts and comments, and the comparisons of areas and waves."""
