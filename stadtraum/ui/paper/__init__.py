"""Streamlit glue of paper forms: the upload and its report."""
