"""Real-browser plumbing for the reader tests: Debian's Chromium, a local server, a network guard."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
LOCAL_SCHEMES = {"file", "data", "blob", "about"}


def launch(playwright: Playwright) -> Browser:
    """Launch Debian's Chromium; Playwright's own browser download cannot work here."""
    if not CHROMIUM.is_file():
        raise AssertionError(f"{CHROMIUM} is missing: run `make setup-browser`")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def is_local(url: str) -> bool:
    """True for a request that stays on this machine."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class Guard:
    """Aborts, and records, every request that would leave the machine."""

    blocked: list[str] = field(default_factory=list)
    local: list[str] = field(default_factory=list)

    def __call__(self, route: Route) -> None:
        url = route.request.url
        if is_local(url):
            self.local.append(url)
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")


@contextmanager
def guarded_page(browser: Browser, **options: object) -> Iterator[tuple[Page, Guard]]:
    """A fresh page whose every request goes through a Guard; fails if any request left the machine."""
    context: BrowserContext = browser.new_context(service_workers="block", **options)  # type: ignore[arg-type]
    guard = Guard()
    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page, guard
    finally:
        context.close()
    assert guard.blocked == [], f"requests left the machine: {guard.blocked}"
    assert errors == [], f"JavaScript errors: {errors}"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder at a path prefix, as the site is published, without logging every request."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "-outside-the-site-")  # no such file: 404
        return super().translate_path("/" + path.removeprefix(self.prefix))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """For an address the site does not have, its 404.html, as static hosts serve it."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        return None


@contextmanager
def serve(folder: Path, prefix: str = "/") -> Iterator[str]:
    """Serve a folder over HTTP on 127.0.0.1 at a free port under a path prefix; yields the base URL."""
    handler = functools.partial(type("Handler", (QuietHandler,), {"prefix": prefix}), directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
