"""The client's address as the server counts it (the sign-in throttle, the citizens' form's
rate limit): the socket peer, or the address in ``X-Forwarded-For`` only when
``STADTRAUM_TRUSTED_PROXY_HOPS`` says how many proxies to trust."""

from __future__ import annotations

import streamlit as st

from stadtraum.citizen.rate_limit import client_address
from stadtraum.ui.state import settings


def address() -> str:
    """The client address to count (from the proxy header only when proxies are trusted)."""
    headers = st.context.headers
    forwarded = ", ".join(headers.get_all("X-Forwarded-For")) if headers else ""
    return client_address({"X-Forwarded-For": forwarded}, st.context.ip_address,
                          settings().trusted_proxy_hops)
