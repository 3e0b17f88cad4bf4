"""Atomic output: a killed build leaves a complete site and owned content; stale pages go, hand-written stay."""

from __future__ import annotations

import fcntl
import functools
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tiny_corpus import HAND_WRITTEN, cli_env, make_project, tree_digest

from generator.build import remove_leftovers
from generator.orphans import die_with_parent
from generator.ownership import MANIFEST, STAGING_MARK, is_staging, make_staging, read_manifest, remove_staging_folder
from generator.project_lock import LOCK_NAME

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
LEFTOVERS = (
    ".site-build-*",
    ".site.old-*",
    "content/.generate-*",
    "content/.*.tmp",
    "dist/.*.tmp",
    "..generator-stamp.json.*.tmp",
)


def _build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=root, env=cli_env(**EPOCH), capture_output=True, text=True
    )


def _leftovers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for pattern in LEFTOVERS for p in root.glob(pattern))


def _change_corpus(root: Path) -> None:
    """An edit that changes many pages and removes one."""
    (root / "facts" / "entities" / "reuters.yaml").unlink()
    for path in (root / "facts" / "entities").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(", reuters", "").replace("reuters, ", ""), encoding="utf-8")
    topics = root / "facts" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("title: Diplomacy", "title: Diplomacy and talks"))


def test_sigkill_at_random_points_leaves_the_old_or_the_new_site(tmp_path: Path) -> None:
    """The site is always one complete build; leftovers of a killed run are gone after the next run."""
    old_root = make_project(tmp_path / "old")
    assert _build(old_root).returncode == 0
    new_root = tmp_path / "new"
    shutil.copytree(old_root, new_root)
    _change_tiny_corpus(new_root)
    started = time.perf_counter()
    result = _build(new_root)
    assert result.returncode == 0, result.stderr
    duration = time.perf_counter() - started
    old_site, new_site = tree_digest(old_root / "site"), tree_digest(new_root / "site")
    assert old_site != new_site

    rng = random.Random(20260120)
    outcomes = []
    attempts = 6
    for attempt in range(attempts):
        root = tmp_path / f"kill-{attempt}"
        shutil.copytree(old_root, root)
        _change_tiny_corpus(root)
        # One random point in each sixth of one and a half runs, so early and late kills both happen.
        delay = duration * 1.5 * (attempt + rng.random()) / attempts
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "build"],
            cwd=root,
            env=cli_env(**EPOCH),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        time.sleep(0.2)  # the MkDocs child is killed with its parent; let it go
        site = tree_digest(root / "site")
        assert site in (old_site, new_site), f"attempt {attempt}: killed after {delay:.2f}s, site/ is a mix"
        outcomes.append(f"{delay:.2f}s:" + ("new" if site == new_site else "old"))
        owned = read_manifest(root / "content")
        on_disk = {
            p.relative_to(root / "content").as_posix()
            for p in (root / "content").rglob("*")
            if p.is_file() and not any(part.startswith(".generate-") for part in p.relative_to(root / "content").parts)
        }
        assert on_disk - owned <= set(HAND_WRITTEN), "a generated file is not in the manifest"
        assert _build(root).returncode == 0
        assert tree_digest(root / "site") == new_site
        assert _leftovers(root) == []
    print(f"build takes {duration:.2f}s; kills gave {outcomes}")


def test_staging_folders_left_by_a_crash_are_removed_by_the_next_run(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    for folder in (".site-build-abc", ".site-build-offline-def", "content/.generate-xyz"):
        (root / folder / "people").mkdir(parents=True)
        (root / folder / "people" / "half.html").write_text("half")
        (root / folder / STAGING_MARK).write_bytes(b"")  # as the generator marks each one it makes
    (root / "content" / "..generated.json.k2j4.tmp").write_text("{")  # atomic_write names it so
    (root / "..generator-stamp.json.a1b2.tmp").write_text("{")  # the stamp's, written the same way
    (root / "dist").mkdir()
    (root / "dist" / ".western-balkans-fact-sheets-offline.zip.x1y2.tmp").write_bytes(b"PK")  # write_zip's
    assert _build(root).returncode == 0
    assert _leftovers(root) == []
    assert (root / "site" / "index.html").is_file()


def test_a_folder_that_only_has_a_staging_folders_name_is_left_alone(tmp_path: Path) -> None:
    """A pull request can commit a folder so named; the generator removes only the ones it made and marked."""
    root = make_project(tmp_path / "p")
    for folder in (".site-build-notes", "content/.generate-notes"):
        (root / folder).mkdir(parents=True)
        (root / folder / "README").write_text("kept")
    assert _build(root).returncode == 0
    assert _leftovers(root) == [".site-build-notes", "content/.generate-notes"]
    assert [(root / folder / "README").read_text() for folder in _leftovers(root)] == ["kept", "kept"]
    assert not list((root / "site").rglob(STAGING_MARK))  # the mark is the staging folder's, not the site's


def _change_tiny_corpus(root: Path) -> None:
    (root / "facts" / "policies" / "beta-policy.yaml").unlink()
    beta = root / "facts" / "entities" / "beta-land.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("text: A report about", "text: A new report about"))


GENERATED_FOLDERS = ("countries", "organisations", "people", "policy", "sources")


def _generate(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate"], cwd=root, env=cli_env(**EPOCH), capture_output=True, text=True
    )


def test_deleting_an_entity_removes_its_page_and_never_a_hand_written_one(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", real_facts=True)
    content = root / "content"
    for folder in GENERATED_FOLDERS:
        (content / folder).mkdir()
        (content / folder / "notes-by-hand.md").write_text(f"# Notes on {folder}\n\nWritten by a person.\n")
    (content / "timeline-notes.md").write_text("# Timeline notes\n")
    hand_written = {p: p.read_bytes() for p in content.rglob("*.md")}
    assert _generate(root).returncode == 0
    assert (content / "organisations" / "reuters.md").is_file()
    _change_corpus(root)
    assert _generate(root).returncode == 0
    assert not (content / "organisations" / "reuters.md").exists()
    assert "organisations/reuters.md" not in json.loads((content / MANIFEST).read_text())["files"]
    assert {p: p.read_bytes() for p in hand_written} == hand_written
    # Left alone, but not published: a page among the generated ones would pass for one of them.
    refused = _build(root)
    assert refused.returncode == 1
    assert refused.stderr.count(": error: a file that is not one of the generated pages, in content/") == len(
        GENERATED_FOLDERS
    )
    assert not (root / "site").exists() and {p: p.read_bytes() for p in hand_written} == hand_written


def test_a_build_removes_the_pages_of_a_deleted_entity_from_the_site(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", real_facts=True)
    (root / "content" / "timeline-notes.md").write_text("# Timeline notes\n")  # hand-written, at the top
    assert _build(root).returncode == 0
    assert (root / "site" / "organisations" / "reuters" / "index.html").is_file()
    _change_corpus(root)
    result = _build(root)
    assert result.returncode == 0, result.stderr
    assert not (root / "site" / "organisations" / "reuters").exists()
    assert (root / "site" / "timeline-notes" / "index.html").is_file()


def test_a_hand_written_file_where_a_page_must_go_is_not_overwritten(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "content" / "people").mkdir()
    page = root / "content" / "people" / "alpha-person.md"
    page.write_text("# Mine\n")
    result = _build(root)
    assert result.returncode == 1
    assert (
        "content/people/alpha-person.md:1:1: error: a hand-written file is where a generated page must go; "
        "the generator will not overwrite it"
    ) in result.stderr.splitlines()
    assert page.read_text() == "# Mine\n"
    assert not (root / "site").exists()


def test_a_second_run_waits_for_the_first_instead_of_removing_its_staging_folder(tmp_path: Path) -> None:
    """Each run removes what an interrupted run left; a run still going is not interrupted, so the next
    one waits for it. Here the test holds the project's lock, as a running build would."""
    root = make_project(tmp_path / "p")
    build = [sys.executable, "-m", "generator", "build", "--no-bundle"]
    assert subprocess.run(build, cwd=root, env=cli_env(), capture_output=True).returncode == 0
    before = tree_digest(root / "site")
    staging = root / ".site-build-running"  # the staging folder of the run that holds the lock
    (staging / "people").mkdir(parents=True)
    (staging / STAGING_MARK).write_bytes(b"")
    about = root / "content" / "about.md"  # other pages link to its sections: add to it, keep them
    about.write_text(about.read_text(encoding="utf-8") + "\nChanged while another run held the lock.\n")
    with (root / LOCK_NAME).open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        second = subprocess.Popen(build, cwd=root, env=cli_env(), stderr=subprocess.PIPE, text=True)
        assert second.stderr is not None
        first_line = second.stderr.readline()  # what it says before waiting; nothing is done before it
        assert first_line == f"waiting for another generate or build in this project to finish ({LOCK_NAME})\n"
        assert second.poll() is None
        assert staging.is_dir() and tree_digest(root / "site") == before
    assert second.wait(timeout=120) == 0, second.stderr.read()
    assert not staging.exists()  # now a leftover: the run that made it is gone
    assert "Changed while another run held the lock." in (root / "site" / "about" / "index.html").read_text()


def test_a_link_where_the_lock_goes_stops_the_run_without_following_it(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    target = tmp_path / "elsewhere.txt"
    (root / LOCK_NAME).symlink_to(target)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate"], cwd=root, env=cli_env(), capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        f"{LOCK_NAME}: error: cannot open the lock file {LOCK_NAME}: it is a symbolic link",
        f"  hint: remove {LOCK_NAME}; the generator makes it again",
    ]
    assert not target.exists()
    assert not (root / "content" / "countries").exists()


def test_a_disk_that_refuses_a_write_is_one_located_line_and_content_stays_as_it_was(tmp_path: Path) -> None:
    """A real refusal, as a full or read-only disk gives: a file size limit of zero bytes (EFBIG).

    Generate once, change the corpus, and generate again under the limit: the run stops with the
    file it could not write and a hint, exit status 1 and no internal error, and content/ is as the
    first run left it, with no staging folder.
    """
    root = make_project(tmp_path / "project", real_facts=True)
    generate = [sys.executable, "-m", "generator", "generate"]
    subprocess.run(generate, cwd=root, env=cli_env(**EPOCH), capture_output=True, text=True, check=True)
    before = tree_digest(root / "content")
    _change_corpus(root)

    def no_bytes() -> None:  # in the child, before exec: a write past 0 bytes fails instead of killing it
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

    refused = subprocess.run(
        generate, cwd=root, env=cli_env(**EPOCH), capture_output=True, text=True, preexec_fn=no_bytes
    )
    assert refused.returncode == 1, refused.stderr
    last = refused.stderr.splitlines()[-2:]
    # named as the page it would have become, not by its place in the staging folder
    assert re.fullmatch(r"content/[a-z]\S+\.(md|json|csv): error: File too large", last[0]), refused.stderr
    assert last[1] == "  hint: check that the folder can be written and the disk has room, then run the command again"
    assert tree_digest(root / "content") == before
    assert _leftovers(root) == []


def _running(pid: int) -> bool:
    """Whether a process exists and has not ended (a zombie waiting for its parent has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def test_a_child_dies_with_its_killed_parent() -> None:
    # The writer process and MkDocs call die_with_parent: a child left running after a killed run could
    # write into a folder the next run is cleaning up. The child here would otherwise sleep for a minute.
    script = (
        "import os, time\n"
        "from generator.orphans import die_with_parent\n"
        "if os.fork() == 0:\n"
        "    die_with_parent()\n"
        "    print(os.getpid(), flush=True)\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], env=cli_env(), stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _running(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    outlived = _running(child)
    if outlived:
        os.kill(child, signal.SIGKILL)  # leave no sleeper behind a failed test
    assert not outlived, "the child outlived its killed parent"


def test_a_child_whose_parent_died_before_it_asked_exits_at_once() -> None:
    """Linux kills a child when its parent dies only if it asked before: a parent killed between the fork and the
    request leaves the child running unless the child sees that its parent is another process by then."""
    started = subprocess.run(
        ["true"], preexec_fn=functools.partial(die_with_parent, os.getpid() + 10**6), check=False
    )  # a parent that is not this process: as if it had died and the child been taken in by another
    assert started.returncode == 1  # it never ran `true`
    assert subprocess.run(["true"], preexec_fn=functools.partial(die_with_parent, os.getpid())).returncode == 0


def test_a_staging_folder_keeps_its_mark_until_the_rest_of_it_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Removal stopped midway (a second Ctrl+C, a kill) leaves a folder the next run still knows as its own."""
    folder = make_staging(tmp_path, ".site-build-")
    (folder / "site" / "people").mkdir(parents=True)
    (folder / "site" / "people" / "index.html").write_text("half")
    (folder / "zz-last").write_text("x")

    def interrupted(path: str) -> None:  # stops at once; given the folder itself, it had gone first to the mark
        if Path(path) == folder:
            (folder / STAGING_MARK).unlink()
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(shutil, "rmtree", interrupted)
        with pytest.raises(KeyboardInterrupt):
            remove_staging_folder(folder)
    assert is_staging(folder)
    assert remove_leftovers(tmp_path) == [folder.name]
    assert not folder.exists()
