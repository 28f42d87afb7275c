"""Show text that may contain user input in Streamlit elements that render markdown
(st.error, st.caption, st.markdown): every ASCII punctuation character is escaped, so
``*``, ``[…](…)``, ``![…]`` and HTML are shown literally, never interpreted."""

from __future__ import annotations


def md_literal(text: object) -> str:
    """``text`` as literal markdown."""
    return "".join("\\" + ch if ch.isascii() and not ch.isalnum() and not ch.isspace() else ch
                   for ch in str(text))
