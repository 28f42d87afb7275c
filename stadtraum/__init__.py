"""StadtRaumMonitor: measure how liveable neighbourhoods feel (Place Standard Tool method).

Nothing happens at import: no engine, no settings, no Streamlit.
"""

__version__ = "0.1.0"
