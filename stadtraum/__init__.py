"""StadtRaumMonitor: measure how liveable neighbourhoods feel (Place Standard Tool method).

One package per capability, in layers from the bottom up: the shared base (``criteria``,
``vocab``, ``config``, ``errors``), ``files``, ``store``, ``accounts``, ``geo``, ``charts``,
``analysis``, ``maps``, ``collect``, ``exports``, ``paper``, ``focus``, ``citizen``, ``demo``,
``bench``, ``cli``, ``ui``. A module imports only from its own package and the layers below
(``tests/test_layering.py``; reasons in ``docs/aufbau.md``).

Nothing happens at import: no engine, no settings, no Streamlit.
"""

__version__ = "0.1.0"
