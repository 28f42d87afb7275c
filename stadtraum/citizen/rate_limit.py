"""Abuse protection for the anonymous citizens' form: a per-address rate limit in memory.

Streamlit talks to the browser over one WebSocket, so there is no HTTP request per form
submission that a proxy could count; the app counts itself. :class:`SlidingWindowLimiter`
keeps, per client address, the times of the last hits within the window (thread-safe: every
browser session runs in its own thread). Nothing of it is written to disk; the addresses are
forgotten when their hits leave the window or the process ends.

:func:`client_address` finds the address to count: the socket's peer, or, behind a
configured number of trusted reverse proxies, the right-most address in ``X-Forwarded-For``
that those proxies did not add themselves (a client can prepend anything it likes, but it
cannot change what the proxies append). IPv6 addresses are counted per /64 network, which a
single household or device usually holds as a whole.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping

from stadtraum.errors import StadtraumError

log = logging.getLogger(__name__)
LOCAL = "local"  # Streamlit reports no address for connections from localhost
UNKNOWN = "unknown"


class RateLimitedError(StadtraumError):
    """Too many form starts or submissions from one address within the window."""


class SlidingWindowLimiter:
    """At most ``limit`` hits per key within any ``window_seconds`` (a sliding window)."""

    def __init__(self, limit: int, window_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1 or window_seconds <= 0:
            raise ValueError("limit must be >= 1 and window_seconds > 0")
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._calls = 0

    def _prune(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if not hits:
            del self._hits[key]
        return hits

    def _sweep(self, now: float) -> None:
        """Forget keys whose hits have all expired (keeps memory bounded)."""
        for key in list(self._hits):
            self._prune(key, now)

    def acquire(self, key: str) -> bool:
        """Record a hit for ``key`` and return True, or return False (nothing recorded) when
        the key has used up its limit."""
        with self._lock:
            now = self._clock()
            self._calls += 1
            if self._calls % 1000 == 0:
                self._sweep(now)
            hits = self._prune(key, now)
            if len(hits) >= self.limit:
                return False
            self._hits.setdefault(key, hits).append(now)
            return True

    def refund(self, key: str) -> None:
        """Take back the latest hit (the action it allowed did not happen after all)."""
        with self._lock:
            hits = self._hits.get(key)
            if hits:
                hits.pop()
                if not hits:
                    del self._hits[key]

    def remaining(self, key: str) -> int:
        with self._lock:
            return self.limit - len(self._prune(key, self._clock()))

    def retry_after(self, key: str) -> float:
        """Seconds until the next hit for ``key`` will be allowed (0 if it is now)."""
        with self._lock:
            now = self._clock()
            hits = self._prune(key, now)
            if len(hits) < self.limit:
                return 0.0
            return max(0.0, hits[0] + self.window - now)

    def keys(self) -> int:
        with self._lock:
            self._sweep(self._clock())
            return len(self._hits)


def _normalise(text: str) -> str | None:
    """The counting key for an address: IPv4 as is, IPv6 as its /64 network; None if the
    text is not an IP address."""
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.9:51234"
        text = text.split(":", 1)[0]
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.IPv6Network((addr, 64), strict=False))
    return str(addr)


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return ""


def client_address(headers: Mapping[str, str], remote: str | None,
                   trusted_proxy_hops: int) -> str:
    """The address to rate-limit by.

    ``remote`` is the socket peer (None for localhost). With ``trusted_proxy_hops == 0`` the
    header is ignored (a client could put anything there). With N > 0 trusted proxies in
    front of the app, each appending the address it received the request from, the client
    is the N-th address from the right of ``X-Forwarded-For``; a shorter header means the
    proxies are not configured as stated, and the peer is used (and a warning logged).
    Several ``X-Forwarded-For`` headers are to be joined with commas by the caller.
    """
    peer = LOCAL if remote is None else (_normalise(remote) or UNKNOWN)
    if trusted_proxy_hops <= 0:
        return peer
    hops = [h.strip() for h in _header(headers, "X-Forwarded-For").split(",") if h.strip()]
    if len(hops) < trusted_proxy_hops:
        log.warning("X-Forwarded-For has %d entries, %d trusted proxies configured; "
                    "counting by the peer address", len(hops), trusted_proxy_hops)
        return peer
    return _normalise(hops[-trusted_proxy_hops]) or UNKNOWN
