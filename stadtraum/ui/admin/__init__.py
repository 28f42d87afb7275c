"""Streamlit glue of the administration page: the public link and QR codes, flagged responses,
the response export."""
