"""Golden Markdown: what ``render_site`` produces for the fixture corpus and the real corpus.

Regenerate after an intended change with ``make goldens`` (``python -m tests.goldens``),
then review the diff under ``tests/golden/`` before committing it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from generator.problems import format_text
from generator.render import render_site
from generator.validate import load_corpus

REPO = Path(__file__).resolve().parent.parent
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
CORPORA = {
    "mini": REPO / "tests" / "fixtures" / "mini" / "facts",
    "real": REPO / "facts",
}
"""Each golden set's name and the fact tree it is rendered from."""
TEST_DAY = dt.date(2026, 11, 28)
"""The day the tests judge review dates by (``tests/conftest.py``), and the goldens are rendered as of:
rendered on the day they are made, a page could say a fact is out of date that the tests say is not.
It pins review dates only. A date after it is no error: the calendar judges the future, as for
``validate``, so a source read after this day can be added without changing it."""
TEST_EPOCH = str(int(dt.datetime.combine(TEST_DAY, dt.time(), dt.UTC).timestamp()))
"""TEST_DAY as SOURCE_DATE_EPOCH, which is how the generator is told the day to judge review dates by."""


def render_corpus(name: str) -> dict[str, str]:
    """Render one named corpus as of TEST_DAY, whatever SOURCE_DATE_EPOCH says; fail with the
    validator's messages if it is invalid."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = TEST_EPOCH  # how the generator is told the day of review dates
    try:
        corpus, problems = load_corpus(CORPORA[name], REPO)  # and the calendar judges the future
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    if corpus is None:
        raise SystemExit("\n".join(format_text(p, REPO) for p in problems))
    return render_site(corpus)


def golden_files(name: str) -> dict[str, bytes]:
    """The stored golden pages of one corpus, keyed by path relative to its folder."""
    folder = GOLDEN_DIR / name
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*.md"))}


def write_goldens(name: str) -> tuple[int, int]:
    """Bring one golden folder in line with the renderer; return (files written, files removed)."""
    folder = GOLDEN_DIR / name
    pages = render_corpus(name)
    written = removed = 0
    for rel in golden_files(name):
        if rel not in pages:
            (folder / rel).unlink()
            removed += 1
    for rel, text in pages.items():
        target = folder / rel
        data = text.encode("utf-8")
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written += 1
    for empty in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(empty.iterdir()):
            empty.rmdir()
    return written, removed


def main() -> None:
    """Regenerate every golden set and say what changed."""
    for name in CORPORA:
        written, removed = write_goldens(name)
        print(f"tests/golden/{name}: {written} written, {removed} removed", file=sys.stderr)


if __name__ == "__main__":
    main()
