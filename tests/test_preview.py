"""The live preview for real: `python -m generator serve` on a free port, edited while it runs."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser
from watchdog import events

from generator import ownership, preview, scaffold
from generator.build import Project
from generator.preview import FactsChanged, _watched, address_problem
from generator.problems import Problem
from tests.browser import guarded_page
from tests.conftest import REPO, CliRunner

WAIT_SECONDS = 20.0
BANNER = '<div class="preview-status" role="alert">'
"""The start of the preview's list of problems (overrides/main.html)."""
START_SECONDS = 90.0  # the first full build; not a performance assertion, only a bound on a hung server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _until(check: Callable[[], bool], seconds: float, what: str) -> float:
    """Poll until check() is true; return how long it took; fail after a bounded wait."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if check():
            return time.monotonic() - start
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds:.0f}s waiting for {what}")


class Server:
    """A running `python -m generator serve` and its log."""

    def __init__(self, process: subprocess.Popen[bytes], log: Path) -> None:
        self.process, self.log = process, log

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for_first_build(self, path: str) -> None:
        """Wait until the page is served; fail with the end of the log if it never is."""
        try:
            _until(lambda: self.page(path)[0] == 200, START_SECONDS, "the first build")
        except AssertionError:
            raise AssertionError(self.stderr()[-3000:]) from None

    def page(self, path: str) -> tuple[int, str]:
        # mkdocs serve mounts the site under site_url's path (/fact-sheets/); it says where.
        served = re.search(r"Serving on (http://\S+/)", self.stderr())
        return _get(served.group(1) + path) if served else (0, "")


def _ignore_sigint() -> None:
    """What a shell does to a command it starts in the background: SIGINT is ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def running_serve(project: Project, log: Path, *, background: bool = False, port: int = 0) -> Iterator[Server]:
    """`python -m generator serve` on a free port, started as from a terminal, or as a shell starts a
    background job (SIGINT ignored); killed with its mkdocs child if a test leaves it running."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port or _free_port()}"],
            cwd=project.root,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_ignore_sigint if background else None,
        )
    try:
        yield Server(process, log)
    finally:
        if process.poll() is None:  # a failed test: do not leave the server or its mkdocs child behind
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(params=["foreground", "background"])
def server(project: Project, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Server]:
    """The preview, started as from a terminal, and as a shell starts a background job (SIGINT ignored)."""
    with running_serve(project, tmp_path / "serve.log", background=request.param == "background") as running:
        yield running


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_saving_a_yaml_file_updates_the_served_page_and_a_bad_edit_keeps_the_last_good_one(
    project: Project, server: Server
) -> None:
    profile = "people/albin-kurti/"
    server.wait_for_first_build(profile)
    status, html = server.page(profile)
    assert "Kosovo now has a strong military." in html
    assert "livereload" in html  # MkDocs' live-reload script, which makes the browser reload by itself

    entity = project.facts / "entities" / "albin-kurti.yaml"
    _replace(entity, '"Kosovo now has a strong military."', '"Kosovo now has a strong military, Kurti said."')
    took = _until(
        lambda: "Kosovo now has a strong military, Kurti said." in server.page(profile)[1],
        WAIT_SECONDS,
        "the edit to reach the served page",
    )
    print(f"save to served page: {took:.2f}s")  # measured for the record, never asserted

    generated = project.content / "people" / "albin-kurti.md"
    good_markdown = generated.read_bytes()
    _replace(entity, "    kind: report\n", "    kind: reprot\n")
    # The closing line is printed last, after every problem.
    _until(
        lambda: "the preview keeps the last good pages until this is fixed" in server.stderr(),
        WAIT_SECONDS,
        "the error in the terminal",
    )
    log = server.stderr()
    assert "facts/entities/albin-kurti.yaml:15:11: error: expected one of report, claim, quote; found 'reprot'" in log
    assert "      kind: reprot\n            ^\n  hint: did you mean 'report'?" in log
    assert "preview: 1 error, 0 warnings; the preview keeps the last good pages until this is fixed" in log
    assert generated.read_bytes() == good_markdown
    # The browser shows the problem too, above the last good page.
    _until(lambda: BANNER in server.page(profile)[1], WAIT_SECONDS, "the problem to reach the served page")
    status, html = server.page(profile)
    assert status == 200
    assert "Kosovo now has a strong military, Kurti said." in html
    assert "the last save has 1 error, 0 warnings, so these pages are as they were before it." in html
    assert (
        "<code>facts/entities/albin-kurti.yaml:15:11</code> error: expected one of report, claim, quote; "
        "found &#39;reprot&#39;"
    ) in html
    assert "(hint: did you mean &#39;report&#39;?)" in html

    _replace(entity, "    kind: reprot\n", "    kind: report\n")
    _replace(entity, "Kurti said.", "Kurti stated.")
    _until(
        lambda: "Kosovo now has a strong military, Kurti stated." in server.page(profile)[1],
        WAIT_SECONDS,
        "the fixed edit to reach the served page",
    )
    _until(lambda: BANNER not in server.page(profile)[1], WAIT_SECONDS, "the problem to leave the served page")
    assert (project.root / preview.PREVIEW_CONFIG).is_file()

    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=WAIT_SECONDS) == 0
    assert "preview: stopping" in server.stderr()
    assert "Shutting down..." in server.stderr()  # mkdocs serve stopped on SIGINT, not killed after a timeout
    assert "Traceback" not in server.stderr()
    _until(lambda: server.page(profile)[0] == 0, WAIT_SECONDS, "mkdocs serve to stop listening")
    assert not (project.root / preview.PREVIEW_CONFIG).exists()  # the preview removes what it made
    assert not list(project.root.glob(".preview-mkdocs.yml*"))


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGHUP])
def test_ctrl_c_in_the_terminal_stops_mkdocs_once_and_quietly(project: Project, tmp_path: Path, number: int) -> None:
    """A terminal sends Ctrl+C to every process of the foreground job, and closing it sends SIGHUP. mkdocs serve
    had both the terminal's SIGINT and the preview's: the second aborted its shutdown ("Aborted!"), often after
    the preview had waited STOP_TIMEOUT_SECONDS for it."""
    with running_serve(project, tmp_path / "serve.log") as server:
        server.wait_for_first_build("")
        pid = server.process.pid
        [mkdocs] = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        assert os.getpgid(mkdocs) == mkdocs != os.getpgid(pid)  # not in the job the terminal signals
        os.killpg(pid, number)  # the whole job, as the terminal does
        assert server.process.wait(timeout=WAIT_SECONDS) == 0
        log = server.stderr()
    assert "preview: stopping" in log and "Shutting down..." in log
    assert "Aborted" not in log and "Traceback" not in log, log
    assert not (project.root / preview.PREVIEW_CONFIG).exists()


def test_a_killed_preview_takes_mkdocs_serve_with_it(project: Project, tmp_path: Path) -> None:
    """mkdocs serve runs in a process group of its own, which no Ctrl+C or kill of the preview's job reaches."""
    with running_serve(project, tmp_path / "serve.log") as server:
        server.wait_for_first_build("")
        pid = server.process.pid
        [mkdocs] = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        server.process.kill()
        server.process.wait()
        _until(lambda: not _running(mkdocs), WAIT_SECONDS, "mkdocs serve to die with the preview")


def _running(pid: int) -> bool:
    """Whether a process is alive: not gone, and not a zombie waiting for its parent to read its status."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


NO_PAGES = "preview: 3 errors, 0 warnings; there are no pages to preview until this is fixed"
STARTS_ONCE_FIXED = "/ for changes; the preview starts once a save leaves no errors; press Ctrl+C to stop"


def _misspell_a_topic(project: Project) -> Path:
    """Three errors in the facts of a project that has never generated its pages, as in a fresh clone."""
    entity = project.facts / "entities" / "kosovo.yaml"
    text = entity.read_text(encoding="utf-8")
    assert text.count("topics: [eu-integration]") == 3
    entity.write_text(text.replace("topics: [eu-integration]", "topics: [eu-integraton]"), encoding="utf-8")
    assert not (project.content / ownership.MANIFEST).exists()
    return entity


def _wait_for_a_fix(server: Server) -> None:
    """Wait until the preview says it waits for valid facts; fail with the end of its log if it stops instead."""
    _until(
        lambda: STARTS_ONCE_FIXED in server.stderr() or server.process.poll() is not None,
        START_SECONDS,
        "the preview to wait for a fix",
    )
    assert STARTS_ONCE_FIXED in server.stderr(), server.stderr()[-3000:]


def test_facts_with_errors_and_no_pages_yet_start_the_preview_once_a_save_fixes_them(
    project: Project, tmp_path: Path
) -> None:
    """There are no last good pages to keep: MkDocs is not started on a site without its generated pages."""
    entity = _misspell_a_topic(project)
    with running_serve(project, tmp_path / "serve.log") as server:
        _wait_for_a_fix(server)
        log = server.stderr()
        assert "facts/entities/kosovo.yaml:11:14: error: unknown topic 'eu-integraton'" in log
        assert f"{NO_PAGES}\npreview: watching facts{STARTS_ONCE_FIXED}\n" in log  # run in the project folder
        assert "keeps the last good pages" not in log

        _replace(entity, "topics: [eu-integraton]", "topics: [eu-integration]")  # two errors left
        two_left = "preview: 2 errors, 0 warnings; there are no pages to preview until this is fixed\n"
        _until(lambda: server.stderr().endswith(two_left), WAIT_SECONDS, "the save to be checked")
        assert server.process.poll() is None and "Serving on" not in server.stderr()

        _replace(entity, "topics: [eu-integraton]", "topics: [eu-integration]")
        _replace(entity, "topics: [eu-integraton]", "topics: [eu-integration]")
        server.wait_for_first_build("countries/kosovo/")
        log = server.stderr()
        assert "preview: regenerated " in log
        assert "Aborted" not in log and "target is not found" not in log and "stopped with exit code" not in log

        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=WAIT_SECONDS) == 0
        assert "Shutting down..." in server.stderr() and "Traceback" not in server.stderr()
    assert not (project.root / preview.PREVIEW_CONFIG).exists()


@pytest.mark.parametrize("background", [False, True])
def test_ctrl_c_stops_a_preview_that_waits_for_valid_facts(project: Project, tmp_path: Path, background: bool) -> None:
    _misspell_a_topic(project)
    with running_serve(project, tmp_path / "serve.log", background=background) as server:
        _wait_for_a_fix(server)
        assert (project.root / preview.PREVIEW_CONFIG).is_file()
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=WAIT_SECONDS) == 0
        assert server.stderr().endswith(f"{STARTS_ONCE_FIXED}\npreview: stopping\n")
    assert not (project.root / preview.PREVIEW_CONFIG).exists()
    assert not (project.content / "countries").exists()


def test_a_port_taken_while_the_preview_waits_is_one_clear_line(project: Project, tmp_path: Path) -> None:
    """The port was free at the start; another program took it before the facts were fixed."""
    entity = _misspell_a_topic(project)
    port = _free_port()
    with running_serve(project, tmp_path / "serve.log", port=port) as server, socket.socket() as other:
        _wait_for_a_fix(server)
        other.bind(("127.0.0.1", port))
        other.listen()
        _replace(entity, "topics: [eu-integraton]", "topics: [eu-integration]")
        _replace(entity, "topics: [eu-integraton]", "topics: [eu-integration]")
        _replace(entity, "topics: [eu-integraton]", "topics: [eu-integration]")
        assert server.process.wait(timeout=START_SECONDS) == 1
        log = server.stderr()
    assert "preview: regenerated " in log and "Traceback" not in log and "Serving on" not in log
    assert log.endswith(
        f"preview: error: cannot listen on 127.0.0.1:{port}: Address already in use; stop the other server, "
        f"or pass -a 127.0.0.1:{port + 1} (make serve ADDR=127.0.0.1:{port + 1})\n"
    )
    assert not (project.root / preview.PREVIEW_CONFIG).exists()


def test_with_errors_the_preview_says_which_generated_pages_are_gone(project: Project) -> None:
    said: list[str] = []
    assert preview.regenerate(project, said.append)
    _replace(project.facts / "entities" / "kosovo.yaml", "topics: [eu-integration]", "topics: [eu-integraton]")
    assert not preview.regenerate(project, said.append)
    assert said[-1] == "preview: 1 error, 0 warnings; the preview keeps the last good pages until this is fixed"
    (project.content / "countries" / "kosovo.md").unlink()
    assert not preview.regenerate(project, said.append)
    assert said[-1] == (
        "preview: 1 error, 0 warnings; there is no whole site to preview (content/countries/kosovo.md missing) "
        "until this is fixed"
    )
    (project.content / "countries" / "serbia.md").unlink()
    assert not preview.regenerate(project, said.append)
    assert said[-1].endswith("(content/countries/kosovo.md and 1 more missing) until this is fixed")


def test_pages_count_as_generated_while_every_page_of_the_last_run_is_there(project: Project) -> None:
    assert not preview.generated_pages(project)  # hand-written pages only, as in a fresh clone
    assert preview.regenerate(project, lambda _: None)
    assert preview.generated_pages(project)
    (project.content / "countries" / "kosovo.md").unlink()  # MkDocs would stop on the links to it
    assert not preview.generated_pages(project)


def test_only_fact_files_count_as_changes() -> None:
    assert _watched("/p/facts/entities/albin-kurti.yaml")
    assert _watched("/p/facts/sources/rksnews-2026-01-20-lavrov-balkans.txt")
    for ignored in (
        "/p/facts/entities/.albin-kurti.yaml.swp",
        "/p/facts/entities/albin-kurti.yaml~",
        "/p/facts/entities/#albin-kurti.yaml#",
        "/p/facts/entities/notes.md",
    ):
        assert not _watched(ignored)


def test_the_handler_wakes_the_preview_only_for_fact_files() -> None:
    """The events a watcher reports while an editor saves a file, fed to the handler the preview uses."""
    folder = "/p/facts/entities"
    quiet: list[events.FileSystemEvent] = [
        events.FileModifiedEvent(f"{folder}/.albin-kurti.yaml.swp"),
        events.FileCreatedEvent(f"{folder}/albin-kurti.yaml~"),
        events.FileDeletedEvent(f"{folder}/#albin-kurti.yaml#"),
        events.FileModifiedEvent(f"{folder}/notes.md"),
        events.FileMovedEvent(f"{folder}/notes.md", f"{folder}/notes.md~"),
        events.FileOpenedEvent(f"{folder}/albin-kurti.yaml"),  # read, not changed
        events.FileClosedNoWriteEvent(f"{folder}/albin-kurti.yaml"),
        events.DirModifiedEvent(folder),
    ]
    handler = FactsChanged()
    for event in quiet:
        handler.on_any_event(event)
        assert not handler.changed.is_set(), event
    # An editor that saves by renaming its temporary file over the fact file.
    handler.on_any_event(events.FileMovedEvent(f"{folder}/.albin-kurti.yaml.swp", f"{folder}/albin-kurti.yaml"))
    assert handler.changed.is_set()
    for event in (
        events.FileModifiedEvent(f"{folder}/albin-kurti.yaml"),
        events.FileDeletedEvent("/p/facts/sources/rksnews-2026-01-20-lavrov-balkans.txt"),
    ):
        handler = FactsChanged()
        handler.on_any_event(event)
        assert handler.changed.is_set(), event


def test_a_busy_port_is_one_clear_line_before_any_build(project: Project) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = int(busy.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project.root,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=START_SECONDS,
        )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"preview: error: cannot listen on 127.0.0.1:{port}: Address already in use; stop the other server, " in (
        result.stderr
    )
    assert f"-a 127.0.0.1:{port + 1} (make serve ADDR=127.0.0.1:{port + 1})" in result.stderr
    assert not (project.root / "content" / "countries").exists()  # nothing was generated first


def test_an_address_this_machine_does_not_have_is_named_without_blaming_another_server() -> None:
    problem = address_problem("192.0.2.1:8000")  # TEST-NET-1: never a local address
    assert problem.startswith("cannot listen on 192.0.2.1:8000: ")
    assert "other server" not in problem


@pytest.mark.parametrize("address", ["8000", "localhost:http", "127.0.0.1:70000", "127.0.0.1:²", "127.0.0.1:８０"])
def test_an_address_that_is_not_host_and_port(address: str, run_cli: CliRunner, tmp_path: Path) -> None:
    assert address_problem(address).startswith("expected an address written HOST:PORT")
    result = run_cli("serve", "--root", str(tmp_path), "-a", address, cwd=tmp_path)  # a mistake in the command line
    assert result.returncode == 2
    assert "Invalid value for '-a' / '--dev-addr': expected an address written HOST:PORT" in result.stderr


def test_a_folder_without_facts_is_one_clear_line_before_any_server(run_cli: CliRunner, tmp_path: Path) -> None:
    result = run_cli("serve", "--root", str(tmp_path), "-a", "127.0.0.1:8799", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        f"preview: error: facts folder not found (looked for {tmp_path / 'facts'}); run the command in the "
        "project's folder, or pass --root\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_a_regeneration_with_warnings_shows_them(project: Project) -> None:
    """Warnings do not stop the preview, but --strict refuses them: the contributor sees them as they edit."""
    scaffold.new_entity(project.facts, "Test Person", "person")
    said: list[str] = []
    assert preview.regenerate(project, said.append)
    assert said[0].startswith("facts/entities/test-person.yaml:") and ": warning: " in said[0]
    assert said[-1].startswith("preview: regenerated ") and said[-1].endswith(" (0 errors, 1 warning)")


def test_a_regeneration_names_a_few_pages_says_how_many_more_and_which_went(project: Project) -> None:
    said: list[str] = []
    assert preview.regenerate(project, said.append)  # the first run writes every page
    written = len([name for name in ownership.read_manifest(project.content) if name.endswith(".md")])
    assert re.fullmatch(rf"preview: regenerated {written} pages: ([^,]+, ){{7}}[^,]+ and {written - 8} more", said[-1])
    created = scaffold.new_entity(project.facts, "Test Person", "person")
    assert preview.regenerate(project, said.append)
    created.path.unlink()
    assert preview.regenerate(project, said.append)
    assert said[-1].startswith("preview: regenerated ")
    assert said[-1].endswith("; removed 1 page: people/test-person.md")


@pytest.mark.parametrize("server", ["foreground"], indirect=True)
def test_the_open_page_reloads_with_the_problem_and_without_it_once_fixed(
    project: Project, server: Server, chromium: Browser
) -> None:
    """In Chromium, as a contributor sees it: nobody reloads the page, MkDocs' live reload does."""
    profile = "people/albin-kurti/"
    server.wait_for_first_build(profile)
    served = re.search(r"Serving on (http://\S+/)", server.stderr())
    assert served
    entity = project.facts / "entities" / "albin-kurti.yaml"
    with guarded_page(chromium) as (page, _):
        page.goto(served.group(1) + profile)
        assert page.locator(".preview-status").count() == 0
        _replace(entity, "    kind: report\n", "    kind: reprot\n")
        status = page.locator(".md-banner .preview-status")
        status.wait_for(state="visible", timeout=WAIT_SECONDS * 1000)
        assert status.get_attribute("role") == "alert"  # read out by screen readers when it appears
        text = status.inner_text()
        assert "Preview: the last save has 1 error, 0 warnings" in text
        assert "facts/entities/albin-kurti.yaml:15:11 error: expected one of report, claim, quote" in text
        assert page.get_by_text("Kosovo now has a strong military.").count() == 1  # the last good page

        _replace(entity, "    kind: reprot\n", "    kind: report\n")
        status.wait_for(state="detached", timeout=WAIT_SECONDS * 1000)
        assert page.locator(".md-banner").count() == 0


def test_the_preview_never_overwrites_a_configuration_it_did_not_make(project: Project) -> None:
    mine = project.root / preview.PREVIEW_CONFIG
    mine.write_text("site_name: my own preview settings\n", encoding="utf-8")
    said: list[str] = []
    assert preview.serve(project, f"127.0.0.1:{_free_port()}", said.append) == 1
    assert said == [
        "preview: error: .preview-mkdocs.yml was not made by the preview, which would overwrite it; "
        "rename it or move it away"
    ]
    assert mine.read_text(encoding="utf-8") == "site_name: my own preview settings\n"
    assert not (project.content / "countries").exists()  # refused before anything was generated


def test_the_configuration_is_rewritten_only_when_the_problems_change(project: Project) -> None:
    """Each write makes MkDocs rebuild the whole site, so an unchanged list is not written again."""
    problem = Problem("facts/entities/x.yaml", 3, 5, "bad <b>value</b>", hint="did you mean 'report'?")
    path = project.root / preview.PREVIEW_CONFIG
    preview.write_preview_config(project, [problem], kept=True)
    first = path.stat().st_mtime_ns, path.stat().st_ino
    preview.write_preview_config(project, [problem], kept=True)
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == first
    text = path.read_text(encoding="utf-8")
    assert text.startswith(preview.PREVIEW_MARKER)
    assert yaml.safe_load(text) == {
        "INHERIT": "mkdocs.yml",
        "extra": {
            "preview_status": {
                "kept": True,
                "summary": "1 error, 0 warnings",
                "problems": [
                    {
                        "location": "facts/entities/x.yaml:3:5",
                        "severity": "error",
                        "message": "bad <b>value</b>",
                        "hint": "did you mean 'report'?",
                    }
                ],
                "more": 0,
            }
        },
    }
    preview.write_preview_config(project, [], kept=False)
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["extra"] == {"preview_status": None}
    many = [Problem("facts/entities/x.yaml", line, 1, "bad") for line in range(1, 26)]
    preview.write_preview_config(project, many, kept=True)
    status = yaml.safe_load(path.read_text(encoding="utf-8"))["extra"]["preview_status"]
    assert (len(status["problems"]), status["more"]) == (preview.SHOWN_PROBLEMS, 25 - preview.SHOWN_PROBLEMS)


def test_a_published_build_has_no_bar_and_the_preview_escapes_every_value(project: Project, tmp_path: Path) -> None:
    """The real MkDocs on the real project: mkdocs.yml alone, then the preview configuration with a hostile value."""
    assert preview.regenerate(project, lambda _: None)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    published = tmp_path / "published"
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d"]
    subprocess.run([*command, str(published)], cwd=project.root, env=env, check=True)
    assert "md-banner" not in (published / "people" / "albin-kurti" / "index.html").read_text(encoding="utf-8")

    script, image = "found '<script>alert(1)</script>'", '<img src=x onerror="1">'
    hostile = Problem("facts/entities/x.yaml", 1, 1, script, hint=image)
    preview.write_preview_config(project, [hostile], kept=True)
    previewed = tmp_path / "previewed"
    config = str(project.root / preview.PREVIEW_CONFIG)
    subprocess.run([*command, str(previewed), "-f", config], cwd=project.root, env=env, check=True)
    html = (previewed / "people" / "albin-kurti" / "index.html").read_text(encoding="utf-8")
    assert "found &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;" in html
    assert "(hint: &lt;img src=x onerror=&#34;1&#34;&gt;)" in html
    assert "<script>alert(1)" not in html and "<img src=x" not in html


def test_the_configuration_is_written_through_no_link_and_holds_only_utf8(project: Project, tmp_path: Path) -> None:
    """A link committed where the temporary file goes is replaced, not followed; a file name that is not
    UTF-8 reaches MkDocs with a replacement character instead of stopping it."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    path = project.root / preview.PREVIEW_CONFIG
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.symlink_to(victim)
    name = os.fsdecode(b"facts/entities/bad\xffname.yaml")
    preview.write_preview_config(project, [Problem(name, 1, 1, "not a valid id")], kept=True)
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not temporary.exists() and not path.is_symlink()
    text = path.read_text(encoding="utf-8")  # valid UTF-8, or this raises
    assert (
        yaml.safe_load(text)["extra"]["preview_status"]["problems"][0]["location"] == "facts/entities/bad?name.yaml:1:1"
    )
