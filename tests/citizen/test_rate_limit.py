"""The in-memory per-address rate limit of the public form and the client address behind
proxies (pure; a fake clock instead of waiting)."""

from __future__ import annotations

import threading

import pytest

from stadtraum.citizen.rate_limit import LOCAL, UNKNOWN, SlidingWindowLimiter, client_address


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_allows_the_limit_then_refuses_until_the_window_slides() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(3, 3600, clock=clock)
    assert [limiter.acquire("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.remaining("a") == 0
    assert limiter.acquire("b")  # another address has its own budget
    clock.now += 1800
    assert not limiter.acquire("a")
    assert limiter.retry_after("a") == pytest.approx(1800)
    clock.now += 1800  # the first three hits leave the window
    assert limiter.acquire("a")
    assert limiter.remaining("a") == 2


def test_sliding_not_fixed_window() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(2, 60, clock=clock)
    assert limiter.acquire("a")
    clock.now += 50
    assert limiter.acquire("a")
    clock.now += 20  # 70 s after the first hit, 20 s after the second
    assert limiter.acquire("a")
    assert not limiter.acquire("a")


def test_refused_hits_are_not_recorded_and_refund_gives_one_back() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(1, 60, clock=clock)
    assert limiter.acquire("a")
    for _ in range(10):
        assert not limiter.acquire("a")
    clock.now += 61
    assert limiter.acquire("a")  # refusals did not extend the block
    limiter.refund("a")
    assert limiter.remaining("a") == 1
    limiter.refund("nobody")  # harmless


def test_expired_addresses_are_forgotten() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(5, 60, clock=clock)
    for i in range(100):
        limiter.acquire(f"10.0.0.{i}")
    assert limiter.keys() == 100
    clock.now += 61
    assert limiter.keys() == 0


def test_thread_safe_under_contention() -> None:
    limiter = SlidingWindowLimiter(100, 3600)
    allowed: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(50):
            ok = limiter.acquire("shared")
            with lock:
                allowed.append(ok)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == 400 and sum(allowed) == 100


@pytest.mark.parametrize("limit, window", [(0, 60), (1, 0), (-1, 60)])
def test_bad_configuration_is_refused(limit: int, window: float) -> None:
    with pytest.raises(ValueError):
        SlidingWindowLimiter(limit, window)


XFF = "X-Forwarded-For"


@pytest.mark.parametrize("headers, remote, hops, expected", [
    # no proxy configured: the header is ignored, whatever it says
    ({XFF: "198.51.100.7"}, "203.0.113.9", 0, "203.0.113.9"),
    ({}, None, 0, LOCAL),
    # one proxy: the address it appended (right-most); a client-sent prefix is ignored
    ({XFF: "1.2.3.4, 198.51.100.7"}, "10.0.0.2", 1, "198.51.100.7"),
    ({"x-forwarded-for": "198.51.100.7"}, "10.0.0.2", 1, "198.51.100.7"),
    # two proxies (CDN + nginx): the second from the right
    ({XFF: "6.6.6.6, 198.51.100.7, 192.0.2.50"}, "10.0.0.2", 2, "198.51.100.7"),
    # proxy configured but header missing or too short: the peer (misconfiguration)
    ({}, "10.0.0.2", 1, "10.0.0.2"),
    ({XFF: "198.51.100.7"}, "10.0.0.2", 2, "10.0.0.2"),
    # garbage in the trusted position
    ({XFF: "1.2.3.4, not-an-ip"}, "10.0.0.2", 1, UNKNOWN),
    # ports and brackets are dropped; IPv6 is counted per /64; IPv4-mapped as IPv4
    ({XFF: "198.51.100.7:5123"}, "10.0.0.2", 1, "198.51.100.7"),
    ({XFF: "[2001:db8:1:2:aaaa::1]:443"}, "10.0.0.2", 1, "2001:db8:1:2::/64"),
    ({}, "2001:db8:1:2:bbbb::9", 0, "2001:db8:1:2::/64"),
    ({}, "::ffff:198.51.100.7", 0, "198.51.100.7"),
])
def test_client_address(headers: dict[str, str], remote: str | None, hops: int,
                        expected: str) -> None:
    assert client_address(headers, remote, hops) == expected


def test_a_spoofed_header_cannot_escape_the_limit() -> None:
    """Behind one proxy, a client rotating a fake X-Forwarded-For prefix is still counted by
    the address the proxy appended."""
    limiter = SlidingWindowLimiter(2, 3600)
    results = []
    for i in range(5):
        key = client_address({XFF: f"10.9.9.{i}, 198.51.100.7"}, "10.0.0.2", 1)
        results.append(limiter.acquire(key))
    assert results == [True, True, False, False, False]
