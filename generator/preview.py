"""Live preview: ``mkdocs serve`` on content/, and a watchdog observer that regenerates it from facts/.

Saving a YAML file regenerates the Markdown. The writer rewrites only pages whose text changed,
and MkDocs' own live reload rebuilds and reloads the browser. An invalid edit prints its problems
and writes nothing, so the preview keeps the last good pages. No MkDocs hook or plugin is involved:
MkDocs runs as its own process and only sees files change on disk.

When the facts have errors as the preview starts and no earlier run has written the pages (a fresh
clone has none: they are not in Git), there is nothing to serve, and MkDocs would only stop on the
links to the missing pages. The preview then says so, watches facts/, and starts MkDocs once a save
leaves no errors.

The browser shows the problems too. MkDocs serves a preview configuration, ``.preview-mkdocs.yml``,
that inherits ``mkdocs.yml`` and adds the last run's problems under ``extra``; the theme override
``overrides/main.html`` shows them in Material's announcement bar. Rewriting that file after a run
with problems is a change MkDocs watches, so the open page reloads with the list. A published build
reads ``mkdocs.yml`` alone and never shows the bar.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import FrameType

import yaml
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator import orphans, ownership
from generator.build import Project, generate
from generator.problems import Problem, format_text, shown_location, sort_problems, summary
from generator.progress import Say

DEBOUNCE_SECONDS = 0.3
"""Editors save in several steps (temp file, rename, chmod); wait for the burst to end."""
STOP_TIMEOUT_SECONDS = 10.0
WATCHED_SUFFIXES = (".yaml", ".txt")
PREVIEW_CONFIG = ".preview-mkdocs.yml"
"""The configuration ``mkdocs serve`` reads during a preview, beside ``mkdocs.yml`` (paths in it are
relative to its folder). Listed in ``.gitignore``, and removed when the preview stops."""
PREVIEW_MARKER = "# Made by `python -m generator serve` for the live preview"
"""The first line of a preview configuration: a file without it is not the preview's, and stays untouched."""
SHOWN_PROBLEMS = 20
"""Problems the browser lists; the terminal shows them all."""


class FactsChanged(FileSystemEventHandler):
    """Notes that a fact file changed, ignoring editors' swap and backup files."""

    def __init__(self) -> None:
        self.changed = threading.Event()
        self.last = 0.0

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Record a change to a YAML file or a stored source text."""
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if any(_watched(os.fsdecode(p)) for p in paths if p):
            self.last = time.monotonic()
            self.changed.set()


def _watched(path: str) -> bool:
    name = Path(path).name
    return name.endswith(WATCHED_SUFFIXES) and not name.startswith((".", "#")) and not name.endswith("~")


def regenerate(project: Project, say: Say) -> bool:
    """Run the generate stage once; print its problems and show them in the browser; return True
    when the pages were updated."""
    outcome = generate(project)
    problems = sort_problems(outcome.problems)  # an ok run can still have warnings, which --strict refuses
    write_preview_config(project, problems, kept=not outcome.ok)
    if not outcome.ok:
        for problem in problems:
            say(format_text(problem, project.root))
        say(f"preview: {summary(problems)}; {_kept(project)} until this is fixed")
        return False
    for problem in problems:  # warnings only
        say(format_text(problem, project.root))
    written = outcome.written.written if outcome.written else []
    removed = outcome.written.removed if outcome.written else []
    pages = [name for name in written if name.endswith(".md")]
    gone = [name for name in removed if name.endswith(".md")]
    listed = f": {_some(pages)}" if pages else ""
    listed += f"; removed {_count(gone)}: {_some(gone)}" if gone else ""
    noted = f" ({summary(problems)})" if problems else ""
    say(f"preview: regenerated {_count(pages)}{listed}{noted}")
    return True


def _count(pages: list[str]) -> str:
    return f"{len(pages)} page{'s' if len(pages) != 1 else ''}"


def _some(pages: list[str], shown: int = 8) -> str:
    """The first few of a list of pages, and how many more there are."""
    more = f" and {len(pages) - shown} more" if len(pages) > shown else ""
    return ", ".join(pages[:shown]) + more


def _pages(project: Project) -> tuple[list[str], list[str]]:
    """The pages the last run wrote (its manifest's list), and those of them no longer in content/."""
    pages = [name for name in ownership.read_manifest(project.content) if name.endswith(".md")]
    return pages, sorted(name for name in pages if not (project.content / name).is_file())


def generated_pages(project: Project) -> bool:
    """Whether content/ holds the pages an earlier run wrote, for MkDocs to serve: every page its manifest lists."""
    pages, missing = _pages(project)
    return bool(pages) and not missing


def _kept(project: Project) -> str:
    """What the preview shows while the facts have errors: the last good pages, if content/ still holds them all."""
    pages, missing = _pages(project)
    if not pages:
        return "there are no pages to preview"
    if missing:
        more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
        return f"there is no whole site to preview (content/{missing[0]}{more} missing)"
    return "the preview keeps the last good pages"


def preview_config(project: Project) -> Path:
    """Where the preview configuration of a project goes."""
    return project.config.parent / PREVIEW_CONFIG


def preview_config_text(project: Project, problems: list[Problem], *, kept: bool) -> str:
    """A configuration that is the project's ``mkdocs.yml`` plus the problems for the browser to show.

    ``kept`` says that the problems stopped the run, so the pages are the last good ones. The
    values are data for the theme, which escapes them; ``yaml.safe_dump`` quotes whatever needs it.
    """
    status = {
        "kept": kept,
        "summary": summary(problems),
        "problems": [
            {
                "location": _utf8(shown_location(p, project.root)),
                "severity": p.severity,
                "message": _utf8(p.message),
                "hint": _utf8(p.hint),
            }
            for p in problems[:SHOWN_PROBLEMS]
        ],
        "more": max(len(problems) - SHOWN_PROBLEMS, 0),
    }
    settings = {"INHERIT": project.config.name, "extra": {"preview_status": status if problems else None}}
    return f"{PREVIEW_MARKER}; removed when it stops. Do not edit.\n" + yaml.safe_dump(
        settings, allow_unicode=True, sort_keys=False, width=100
    )


def _utf8(text: str) -> str:
    """Text made valid UTF-8: a file name that is not (``bad\\xffname.yaml``) has characters that no
    UTF-8 file can hold, and MkDocs would stop on them."""
    return text.encode("utf-8", "replace").decode("utf-8")


def missing_facts(project: Project) -> str:
    """Why there is nothing to watch, or "": the preview regenerates from a facts folder, which must exist."""
    if project.facts.is_dir():
        return ""
    where = project.facts.absolute()
    return f"facts folder not found (looked for {where}); run the command in the project's folder, or pass --root"


def preview_config_problem(project: Project) -> str:
    """Why the preview cannot write its configuration, or "": a file of that name that it did not make."""
    path = preview_config(project)
    try:
        with path.open("rb") as handle:
            first = handle.readline()
    except FileNotFoundError:
        return ""
    except OSError as exc:
        return f"cannot read {path.name}: {exc.strerror or exc}"
    if first.startswith(PREVIEW_MARKER.encode()):
        return ""
    return f"{path.name} was not made by the preview, which would overwrite it; rename it or move it away"


def write_preview_config(project: Project, problems: list[Problem], *, kept: bool) -> None:
    """Write the preview configuration when its text changes (every write makes MkDocs rebuild)."""
    path = preview_config(project)
    text = preview_config_text(project, problems, kept=kept)
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)  # one a killed preview left; a link there is removed, never followed
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(temporary, flags, 0o644), "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)  # MkDocs never reads half a file


def remove_preview_config(project: Project) -> None:
    """Remove the preview configuration, if it is the preview's."""
    if not preview_config_problem(project):
        preview_config(project).unlink(missing_ok=True)


def mkdocs_serve_command(project: Project, dev_addr: str) -> list[str]:
    """The ``mkdocs serve`` command line for a project (live reload is on by default).

    MkDocs reads the preview configuration and watches it; ``-w`` adds ``mkdocs.yml``, which it
    inherits, so that an edit to the project's configuration rebuilds the preview as before.
    """
    config = str(preview_config(project))
    watched = str(project.config)
    # Through generator.orphans: a preview that is killed takes mkdocs serve with it.
    orphans = [sys.executable, "-m", "generator.orphans", str(os.getpid())]
    return [*orphans, "mkdocs", "serve", "--livereload", "-f", config, "-w", watched, "-a", dev_addr]


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else []))
"""Ctrl+C, a process manager stopping the preview, or its terminal closing."""


def serve(project: Project, dev_addr: str, say: Say) -> int:
    """Serve the site with live reload and regenerate it whenever facts/ changes, until interrupted."""
    # A process started in the background by a shell inherits SIGINT ignored, and so would mkdocs.
    # Handling it here stops the preview either way, and mkdocs, started after, gets the default
    # disposition back: exec resets a handled signal, but keeps an ignored one ignored.
    previous = {number: signal.signal(number, _raise_interrupt) for number in STOP_SIGNALS}
    try:
        return _serve(project, dev_addr, say)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def address_problem(dev_addr: str) -> str:
    """Why mkdocs serve could not listen on an address, or "": checked first, so that a busy port gets
    one line instead of a build of the whole site followed by mkdocs' traceback."""
    malformed = malformed_address(dev_addr)
    if malformed:
        return malformed
    host, _, port = dev_addr.rpartition(":")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as a server would: ignore TIME_WAIT
            probe.bind((host.strip("[]"), int(port)))
    except OSError as exc:
        reason = f"cannot listen on {dev_addr}: {exc.strerror or exc}"
        if exc.errno != errno.EADDRINUSE:
            return reason
        other = f"{host}:{int(port) + 1 if int(port) < 65535 else 8000}"
        return f"{reason}; stop the other server, or pass -a {other} (make serve ADDR={other})"
    return ""


def malformed_address(dev_addr: str) -> str:
    """Why an address is not written HOST:PORT, or ""."""
    host, _, port = dev_addr.rpartition(":")
    if not host or not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:  # not "²", nor "８０"
        return f"expected an address written HOST:PORT, such as 127.0.0.1:8000; found '{dev_addr}'"
    return ""


def _serve(project: Project, dev_addr: str, say: Say) -> int:
    problem = address_problem(dev_addr) or missing_facts(project) or preview_config_problem(project)
    if problem:
        say(f"preview: error: {problem}")
        return 1
    server: subprocess.Popen[bytes] | None = None
    observer = Observer()
    try:
        ready = regenerate(project, say) or generated_pages(project)
        # Started after the first run: while it is the only thread, a large project's workers can be forked.
        handler = FactsChanged()
        observer.schedule(handler, str(project.facts), recursive=True)
        observer.start()
        if not ready:
            say(
                f"preview: watching {project.facts}/ for changes; the preview starts once a save leaves no errors; "
                "press Ctrl+C to stop"
            )
            while not (_changed(handler) and regenerate(project, say)):
                pass
        busy = address_problem(dev_addr)  # taken by another program during the first run, or the wait for a fix
        if busy:
            say(f"preview: error: {busy}")
            return 1
        env = orphans.importable({**os.environ, "NO_MKDOCS_2_WARNING": "1"})  # it runs generator.orphans
        # In a process group of its own, mkdocs gets only the preview's Ctrl+C, not the terminal's too: a second
        # SIGINT during its shutdown aborts it.
        server = subprocess.Popen(mkdocs_serve_command(project, dev_addr), cwd=project.root, env=env, process_group=0)
        return _watch(project, server, handler, say)
    except KeyboardInterrupt:
        say("preview: stopping")
        return 0
    finally:
        if server is not None:
            _stop(server)
        if observer.is_alive():
            observer.stop()
            observer.join(timeout=STOP_TIMEOUT_SECONDS)
        remove_preview_config(project)


def _changed(handler: FactsChanged) -> bool:
    """Whether a file under facts/ changed in the last half second; if so, wait for the editor's save to end."""
    if not handler.changed.wait(timeout=0.5):
        return False
    while time.monotonic() - handler.last < DEBOUNCE_SECONDS:
        time.sleep(DEBOUNCE_SECONDS / 3)
    handler.changed.clear()
    return True


def _watch(project: Project, server: subprocess.Popen[bytes], handler: FactsChanged, say: Say) -> int:
    """Regenerate on every change under facts/ until mkdocs serve stops."""
    say(f"preview: watching {project.facts}/ for changes; press Ctrl+C to stop")
    while server.poll() is None:
        if _changed(handler):
            regenerate(project, say)
    say(f"preview: mkdocs serve stopped with exit code {server.returncode}")
    return server.returncode or 1


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop mkdocs serve the way Ctrl+C would, then harder if it does not exit."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
