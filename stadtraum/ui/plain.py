"""Show text that may contain user input in Streamlit elements that render markdown
(st.markdown, st.caption, alerts, headings, widget labels and help, radio and
segmented-control options, tab and expander labels, ``st.table`` cells): every ASCII
punctuation character is escaped, so ``*``, ``[…](…)``, ``![…]``, ``:material/…:``, ``$…$``
and HTML are shown literally, never interpreted.

Escaping alone does not stop GitHub-flavoured Markdown from turning ``http://…``,
``www.…`` and ``name@host`` into links by itself (Streamlit's renderer finds them in the
text after the escapes are read), so an invisible WORD JOINER (U+2060) is put where those
patterns need their characters side by side: between ``:`` and ``//``, after ``www`` before
``.``, and after ``@``. The text looks the same; it just never becomes a link.

Selectbox and multiselect options, ``st.text``, ``st.code`` and ``st.dataframe`` show text
as it is: pass user text to them unescaped."""

from __future__ import annotations

import re

__all__ = ["md_literal"]

WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)


def md_literal(text: object) -> str:
    """``text`` as literal markdown (no markup, no links of its own)."""
    unlinked = _AUTOLINK.sub(WORD_JOINER, str(text))
    return "".join("\\" + ch if ch.isascii() and not ch.isalnum() and not ch.isspace() else ch
                   for ch in unlinked)
