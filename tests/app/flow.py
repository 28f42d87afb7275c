"""Steps of an AppTest flow shared by the page tests: run without exceptions, tap a button,
start the whole app, sign in like a person."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import PASSWORD, ROOT


def run(at: AppTest) -> AppTest:
    """Run the script once more and fail on any exception it showed."""
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return run(at)


def whole_app() -> AppTest:
    """The app as a browser first sees it (sign-in page, demo loaded on first start)."""
    return run(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180))


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    next(b for b in at.button if b.label == "Anmelden").click()
    return run(at)
