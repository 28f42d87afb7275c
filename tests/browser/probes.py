"""Measurements inside the real browser: axe-core accessibility checks (the npm package's
axe.min.js as shipped by the axe-playwright-python wheel; nothing is downloaded) and a count
of the script reruns the browser asks the server for (BackMsg ``rerun_script`` frames on
Streamlit's WebSocket, decoded with Streamlit's own protobuf classes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from streamlit.proto.BackMsg_pb2 import BackMsg

BLOCKING = ("serious", "critical")


def axe_violations(page: Any, *, exclude: list[str] | None = None) -> list[str]:
    """Serious or critical axe-core violations on the page (WCAG 2.x A/AA rules, colour
    contrast included), one line per rule with the first offending elements."""
    context = {"exclude": [[sel] for sel in exclude]} if exclude else None
    options = {"resultTypes": ["violations"],
               "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                     "wcag21aa", "best-practice"]}}
    results = Axe().run(page, context=context, options=options)
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(", ".join(n["target"]) + " [" + n.get("failureSummary", "")
                        .replace("\n", " ") + "]" for n in v["nodes"][:3])
            for v in results.response["violations"] if v.get("impact") in BLOCKING]


@dataclass
class RerunCounter:
    """Counts the reruns the page requests (one per widget interaction that reaches the
    server, plus the first run and reloads)."""

    reruns: int = 0
    frames: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> RerunCounter:
        page.on("websocket", self._on_socket)
        return self

    def _on_socket(self, ws: Any) -> None:
        ws.on("framesent", self._on_frame)

    def _on_frame(self, payload: Any) -> None:
        if isinstance(payload, str):
            return
        try:
            msg = BackMsg.FromString(bytes(payload))
        except Exception:  # not a BackMsg: not ours to count
            return
        kind = msg.WhichOneof("type")
        self.frames.append(str(kind))
        if kind == "rerun_script":
            self.reruns += 1


def wait_idle(page: Any, *, pause_ms: int = 400, timeout_ms: int = 60_000) -> None:
    """Until the script run triggered by the last input has finished (Streamlit marks its
    state on the app root), the status widget is gone and no skeleton is left."""
    page.wait_for_timeout(pause_ms)
    page.wait_for_function(
        """() => { const app = document.querySelector('[data-test-script-state]');
                   return app && ['notRunning', 'initial'].includes(
                       app.getAttribute('data-test-script-state'))
                       && !document.querySelector('[data-testid=stStatusWidget]')
                       && !document.querySelector('[data-testid=stSkeleton]'); }""",
        timeout=timeout_ms)
