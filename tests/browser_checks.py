"""Valid HTML and accessibility for every page the browser tests visit.

- `assert_valid_html(html, page_name=...)`: the Nu Html Checker (the `vnu-jar` npm package, run
  with Java) over a document, or over an htmx fragment placed in a minimal document. Any error
  fails; warnings ("info") do not.
- `assert_no_serious_axe(page, page_name=...)`: axe-core (the `axe-core` npm package) injected
  into a Playwright page; any violation of impact "serious" or "critical" fails.
- `check_page(page, page_name=...)`: both, on what the browser shows now (the live document,
  with the windows htmx swapped in).

The tools come from `npm ci` at the repository root (`package.json`, devDependencies only;
`make test` and `.ci/run` run it). Without them a test skips locally and fails in CI
(`RSS_REQUIRE_ALL=1`), like the other external tools in `tests/tools.py`.

The checker runs as one local HTTP service per test process (the JVM starts once, in about
ten seconds; each check then takes a few milliseconds), stopped when the process exits.
"""

from __future__ import annotations

import atexit
import json
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.tools import require_all

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
START_TIMEOUT = 90  # seconds; the JVM reads the HTML schema at start (10-20 s on a busy machine)

_lock = threading.Lock()
_checker: _Checker | None = None


def _missing(what: str) -> None:
    message = f"{what} (run `npm ci` at the repository root; Java for the Nu checker)"
    if require_all():
        pytest.fail(f"required in CI but missing: {message}")
    pytest.skip(f"missing: {message}")


def _die_with_parent() -> None:
    """Linux: the JVM ends when the test process ends, even killed (atexit would not run)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class _Checker:
    """The Nu Html Checker as a local service: `java -cp vnu.jar nu.validator.servlet.Main`."""

    def __init__(self, java: str, *, wait: bool = True):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/?out=json"
        self.process = subprocess.Popen(
            [
                java,
                "-Xmx768m",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        atexit.register(self.stop)
        self.ready = False
        if wait:
            self.wait_until_up()

    def wait_until_up(self) -> None:
        if self.ready:
            return
        deadline = time.monotonic() + START_TIMEOUT
        probe = "<!doctype html><html lang=en><title>probe</title></html>"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Nu checker exited with {self.process.returncode}")
            try:
                self.messages(probe)
                self.ready = True
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"the Nu checker did not start within {START_TIMEOUT} s")

    def messages(self, html: str) -> list[dict]:
        request = urllib.request.Request(
            self.url,
            data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)["messages"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _checker_or_skip() -> _Checker:
    global _checker
    java = shutil.which("java")
    if not java:
        _missing("java")
    if not VNU_JAR.exists():
        _missing(str(VNU_JAR.relative_to(ROOT)))
    with _lock:
        if _checker is None or _checker.process.poll() is not None:
            _checker = _Checker(java)
        _checker.wait_until_up()
        return _checker


def prestart() -> None:
    """Start the checker's JVM without waiting (it reads its schema for 10-20 s): the browser test
    modules call this when they are imported, so the first check finds it ready."""
    global _checker
    java = shutil.which("java")
    if not java or not VNU_JAR.exists():
        return
    with _lock:
        if _checker is None:
            _checker = _Checker(java, wait=False)


_DOCTYPE = re.compile(r"^\s*(<!--.*?-->\s*)*<!doctype html", re.IGNORECASE | re.DOTALL)
_FIRST_TAG = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9-]*)")
_TABLE_PARTS = {"tr": ("<table><tbody>", "</tbody></table>"), "tbody": ("<table>", "</table>")}


def as_document(html: str) -> str:
    """A whole document as it is; an htmx fragment inside a minimal valid document (a row
    inside a table), so the checker judges the fragment and nothing of the wrapper."""
    if _DOCTYPE.match(html):
        return html
    first = _FIRST_TAG.search(html)
    before, after = _TABLE_PARTS.get(first.group(1).lower() if first else "", ("", ""))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fragment</title>'
        f"</head><body>{before}{html}{after}</body></html>"
    )


def _describe(message: dict) -> str:
    where = f"line {message.get('lastLine', '?')}"
    extract = (message.get("extract") or "").replace("\n", " ")
    return f"  {where}: {message.get('message')}\n      {extract}"


def assert_valid_html(html: str, *, page_name: str) -> None:
    """Fails on any error the Nu Html Checker reports (warnings pass)."""
    messages = _checker_or_skip().messages(as_document(html))
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    if errors:
        shown = "\n".join(_describe(m) for m in errors[:20])
        more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        pytest.fail(
            f"{page_name}: the Nu Html Checker found {len(errors)} error(s):\n{shown}{more}",
            pytrace=False,
        )


_SETTLE = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
}"""
_RUN_AXE = """async () => {
  const results = await window.axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + (n.failureSummary || "")),
  }));
}"""


def assert_no_serious_axe(page, *, page_name: str) -> None:
    """Fails on any axe-core violation of impact serious or critical in the page as it is now.

    axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy
    (script-src 'self') does not govern, so the page under test is not weakened for it."""
    if not AXE_JS.exists():
        _missing(str(AXE_JS.relative_to(ROOT)))
    # Colours are measured as painted: let fades (a window opening) finish first.
    page.evaluate(_SETTLE)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    violations = [v for v in page.evaluate(_RUN_AXE) if v["impact"] in SERIOUS]
    if violations:
        lines = []
        for v in violations:
            lines.append(f"  {v['id']} ({v['impact']}, {len(v['nodes'])} node(s)): {v['help']}")
            lines.extend(f"      {n}" for n in v["nodes"][:5])
        pytest.fail(
            f"{page_name}: axe-core found {len(violations)} serious or critical rule(s):\n"
            + "\n".join(lines),
            pytrace=False,
        )


class ServedHtml:
    """Every HTML answer a page receives (documents and htmx fragments), kept to be checked as
    the server sent it: the browser's parser silently repairs what the live document hides."""

    def __init__(self, page):
        self._responses: list = []
        page.on("response", self._record)

    def _record(self, response) -> None:
        self._responses.append(response)

    def assert_valid(self, *, page_name: str) -> None:
        responses, self._responses[:] = list(self._responses), []
        for response in responses:
            request = response.request
            if request.resource_type not in ("document", "xhr", "fetch"):
                continue
            if not 200 <= response.status < 300 or "text/html" not in response.headers.get(
                "content-type", ""
            ):
                continue
            try:
                body = response.text()
            except Exception:  # a page navigated away before its body was read
                continue
            path = request.url.split("://", 1)[-1].split("/", 1)[-1]
            assert_valid_html(body, page_name=f"{page_name} ({request.method} /{path})")


def check_page(page, *, page_name: str, served: ServedHtml | None = None) -> None:
    """Both checks on what the browser shows now: the live document (windows included) through
    the Nu checker, then axe; with `served`, also every HTML answer received since the last check."""
    if served is not None:
        served.assert_valid(page_name=page_name)
    assert_valid_html(page.content(), page_name=page_name)
    assert_no_serious_axe(page, page_name=page_name)
