"""Post-build check: the built site holds no script, event handler or dangerous URL but the theme's own.

Escaping is the first defence; this is the second. It reads every HTML page of a
staged build (and the search index, whose text the theme inserts as HTML) with the
standard library's HTML parser and fails on:

- a ``<script>`` element that is not one of the theme's: Material's bundled scripts
  under ``assets/javascripts/``, its inline scripts exactly as its templates write
  them, its ``__config`` JSON, and JSON-LD (``application/ld+json``) that is valid JSON;
- an event-handler attribute (any attribute whose name starts with ``on``);
- a ``javascript:``, ``vbscript:`` or ``data:`` URL in a URL attribute, a ``srcset``,
  SVG animation values, or a CSS ``url()``/``@import`` in a ``style``;
- an element that embeds other documents (``iframe``, ``object``, ``embed``, ``base`` ...);
- anything the browser would load from another host by itself, as it shows the page: an image,
  a media file, a stylesheet, an icon, a font in CSS, a preload or prefetch, a ``ping``. Such a
  request tells that host who reads what, and fails offline. A link the reader follows is fine,
  and so is a ``<link>`` that names a page without loading it (``canonical``, ``alternate`` ...);
- a form that sends what is typed into it to another host, and a meta refresh, which takes the
  reader elsewhere without a click (the theme uses neither).

Material uses no ``data:`` URL in its HTML (its icons are inline SVG), so that
allow-list is empty.
"""

from __future__ import annotations

import json
import multiprocessing
import posixpath
import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from generator import filecheck, progress, site_files
from generator.ownership import read_manifest
from generator.problems import Problem
from generator.site_files import hand_written_source

URL_ATTRIBUTES = frozenset(
    "href src action formaction xlink:href poster data background cite longdesc ping manifest "
    "codebase archive icon lowsrc dynsrc usemap profile itemtype".split()
)
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
ANIMATION_ELEMENTS = frozenset({"animate", "set", "animatemotion", "animatetransform"})
ANIMATION_ATTRIBUTES = frozenset({"to", "from", "values", "by"})
EMBEDDING_ELEMENTS = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"})
BAD_SCHEMES = frozenset({"javascript", "vbscript", "data"})
REMOTE_SCHEMES = frozenset({"http", "https", "ftp"})
LOADED_ATTRIBUTES = frozenset({"src", "poster", "background", "ping", "manifest", "lowsrc", "dynsrc"})
"""URL attributes whose address the browser requests by itself, without a click (``ping`` on a click,
to tell another host about it)."""
SVG_LOADING_ELEMENTS = frozenset({"image", "use", "feimage"})
"""SVG elements whose ``href`` or ``xlink:href`` the browser loads."""
NAMING_LINK_TYPES = frozenset(
    "canonical alternate author license help next prev me bookmark external nofollow noopener noreferrer".split()
)
"""``<link rel>`` types that name a page without loading anything; any other ``<link>`` may load its href."""
ALLOWED_DATA_URLS: frozenset[str] = frozenset()
"""``data:`` URLs the theme itself writes into pages; Material 9 writes none."""
SCRIPT_FOLDER = "assets/javascripts/"
"""Where the theme's bundled scripts live in the built site."""
JSON_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_URL_NOISE = re.compile(r"[\t\n\r]")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_URL = re.compile(r"(?:url\(|@import)\s*['\"]?\s*([a-z][a-z0-9+.\-]*):")
_CSS_REMOTE = re.compile(r"(?:url\(|@import)['\"]?(?:https?:|ftp:|//)")
_TEMPLATE_EXPRESSION = re.compile(r"\{\{.*?\}\}")
_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_SAFE_TEMPLATE_VALUE = r"[A-Za-z0-9._~/:%-]*"
"""What a ``{{ }}`` expression in a theme script may expand to: a path or URL, never a quote."""


def _as_browsers_read(value: str) -> str:
    """A URL attribute's value as a browser reads it: tabs and line breaks dropped, leading controls and spaces too."""
    return _URL_NOISE.sub("", value).lstrip("".join(map(chr, range(0x21))))


def url_scheme(value: str) -> str:
    """Return the lower-case scheme a browser would see in a URL attribute, or ''."""
    match = _SCHEME.match(_as_browsers_read(value).lower())
    return match.group(1) if match else ""


def srcset_urls(value: str) -> list[str]:
    """The addresses in a ``srcset``: each candidate's first word."""
    return [candidate.strip().split(" ")[0] for candidate in value.split(",")]


def _css_unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        return match.group(2)

    return _CSS_ESCAPE.sub(replace, text)


def css_bad_urls(css: str) -> list[str]:
    """Return what a piece of CSS must not load (``url()`` or ``@import``), as the words after "loads":
    ``a javascript URL`` for each dangerous scheme or ``expression``, ``from another host`` for an
    address on another host."""
    text = _CSS_COMMENT.sub("", _css_unescape(css)).lower()
    text = re.sub(r"\s+", "", text)
    found = [m.group(1) for m in _CSS_URL.finditer(text) if m.group(1) in BAD_SCHEMES]
    if "expression(" in text:
        found.append("expression")
    return [f"a {scheme} URL" for scheme in found] + ["from another host"] * len(_CSS_REMOTE.findall(text))


def is_remote(value: str) -> bool:
    """Whether a URL attribute's value points at another host: an absolute or protocol-relative address."""
    return url_scheme(value) in REMOTE_SCHEMES or _as_browsers_read(value).startswith(("//", "\\\\", "/\\", "\\/"))


@cache
def theme_inline_scripts() -> tuple[re.Pattern[str], ...]:
    """Patterns for the inline scripts Material's templates write, read from the installed theme."""
    theme = site_files.theme_folder()
    if theme is None:
        return ()
    folder = theme / "partials" / "javascripts"
    patterns = []
    for template in sorted(folder.glob("*.html")):
        for body in _TEMPLATE_SCRIPT.findall(template.read_text(encoding="utf-8")):
            parts = _TEMPLATE_EXPRESSION.split(body)
            patterns.append(re.compile(_SAFE_TEMPLATE_VALUE.join(re.escape(p) for p in parts)))
    return tuple(patterns)


class _PageChecker(HTMLParser):
    """Collects every disallowed construct on one page as (line, column, message)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.findings: list[tuple[int, int, str]] = []
        self._script: tuple[int, int, str, dict[str, str]] | None = None
        self._script_body: list[str] = []
        self._style: tuple[int, int] | None = None
        self._style_body: list[str] = []

    def _flag(self, message: str, snippet: str, position: tuple[int, int] | None = None) -> None:
        line, offset = position or self.getpos()
        shown = " ".join(snippet.split())
        shown = shown if len(shown) <= 120 else shown[:117] + "..."
        self.findings.append((line, offset + 1, f"{message}: {shown}"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_tag(tag, attrs)
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            self._script = (*self.getpos(), self.get_starttag_text() or "<script>", values)
            self._script_body = []
        elif tag == "style":
            self._style = self.getpos()
            self._style_body = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_tag(tag, attrs)
        if tag == "script":
            start = self.get_starttag_text() or "<script/>"
            self._check_script(start, {n: v or "" for n, v in attrs}, "", self.getpos())

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_body.append(data)
        elif self._style is not None:
            self._style_body.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            line, offset, start, attrs = self._script
            self._check_script(start, attrs, "".join(self._script_body), (line, offset))
            self._script = None
        elif tag == "style" and self._style is not None:
            css = "".join(self._style_body)
            for what in css_bad_urls(css):
                self._flag(f"style element loads {what}", css, self._style)
            self._style = None

    def close(self) -> None:
        """Finish parsing; a script left open at the end of the page is still checked."""
        super().close()
        if self._script is not None:
            line, offset, start, attrs = self._script
            self._check_script(start, attrs, "".join(self._script_body), (line, offset))
            self._script = None

    def _check_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        snippet = self.get_starttag_text() or f"<{tag}>"
        if tag in EMBEDDING_ELEMENTS:
            self._flag(f"{tag} element is not allowed", snippet)
        self._check_loads(tag, attrs, snippet)
        for name, raw in attrs:
            value = raw or ""
            if name.startswith("on"):
                self._flag(f"event-handler attribute '{name}'", snippet)
            elif name in URL_ATTRIBUTES or (tag in ANIMATION_ELEMENTS and name in ANIMATION_ATTRIBUTES):
                candidates = value.split(";") if tag in ANIMATION_ELEMENTS else [value]
                self._check_urls(name, candidates, snippet)
            elif name in SRCSET_ATTRIBUTES:
                self._check_urls(name, srcset_urls(value), snippet)
            elif name == "style":
                for what in css_bad_urls(value):
                    self._flag(f"style attribute loads {what}", snippet)

    def _check_loads(self, tag: str, attrs: list[tuple[str, str | None]], snippet: str) -> None:
        """Flag each address on another host that the browser would request as it shows the page."""
        values = {name: value or "" for name, value in attrs}
        loaded = [name for name in values if name in LOADED_ATTRIBUTES]
        if tag == "link" and not set(values.get("rel", "").lower().split()) <= NAMING_LINK_TYPES:
            loaded.append("href")
        if tag in SVG_LOADING_ELEMENTS:
            loaded += [name for name in ("href", "xlink:href") if name in values]
        for name in loaded:
            if tag != "script" and is_remote(values.get(name, "")):  # a script is checked whole
                self._flag(f"attribute '{name}' loads from another host", snippet)
        for name in ("action", "formaction"):
            if is_remote(values.get(name, "")):
                self._flag(f"attribute '{name}' sends a form to another host", snippet)
        if tag == "meta" and values.get("http-equiv", "").strip().lower() == "refresh":
            self._flag("meta refresh is not allowed", snippet)
        for name in SRCSET_ATTRIBUTES & set(values):
            if any(map(is_remote, srcset_urls(values[name]))):
                self._flag(f"attribute '{name}' loads from another host", snippet)

    def _check_urls(self, name: str, values: list[str], snippet: str) -> None:
        for value in values:
            scheme = url_scheme(value)
            if scheme in BAD_SCHEMES and value.strip() not in ALLOWED_DATA_URLS:
                self._flag(f"{scheme}: URL in attribute '{name}'", snippet)

    def _check_script(self, start: str, attrs: dict[str, str], body: str, position: tuple[int, int]) -> None:
        kind = attrs.get("type", "").strip().lower()
        if "src" in attrs:
            if set(attrs) - {"src", "defer", "async"} or body.strip() or not self._theme_script(attrs["src"]):
                self._flag("script element not from the theme", start + body, position)
            return
        if kind in JSON_SCRIPT_TYPES:
            lowered = body.lower()
            named_config = kind == "application/json" and attrs.get("id") == "__config"
            if (kind == "application/ld+json" or named_config) and "<!--" not in lowered and "<script" not in lowered:
                try:
                    json.loads(body)
                    return
                except ValueError:
                    pass
            self._flag("script element not from the theme (JSON data must be valid JSON)", start + body, position)
            return
        if attrs or not any(p.fullmatch(body) for p in theme_inline_scripts()):
            self._flag("script element not from the theme", start + body, position)

    def _theme_script(self, src: str) -> bool:
        if url_scheme(src) or src.startswith(("//", "\\")) or "\\" in src or "?" in src or "#" in src:
            return False
        if src.startswith("/"):  # 404.html links from the site_url's path, e.g. /fact-sheets/assets/...
            resolved = posixpath.normpath(src)
            return "/.." not in resolved and f"/{SCRIPT_FOLDER}" in resolved and resolved.endswith(".js")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), src))
        return resolved.startswith(SCRIPT_FOLDER) and resolved.endswith(".js")


def check_html(text: str, page: str) -> list[tuple[int, int, str]]:
    """Return (line, column, message) for each disallowed construct in one HTML page."""
    checker = _PageChecker(page)
    checker.feed(text)
    checker.close()
    return checker.findings


def _search_index_docs(path: Path) -> list[Any]:
    """The entries of a built site's search index; none if it is missing or not the theme's format."""
    try:
        docs = json.loads(path.read_text(encoding="utf-8")).get("docs", [])
    except (OSError, ValueError, AttributeError):
        return []
    return docs if isinstance(docs, list) else []


def _search_index_findings(docs: list[Any]) -> Iterator[tuple[str, str]]:
    """The theme renders search results' titles and text as HTML: check them as fragments."""
    for doc in docs:
        for key in ("title", "text"):
            fragment = doc.get(key, "") if isinstance(doc, dict) else ""
            for _, _, message in check_html(str(fragment), "search/index.html"):
                yield f"{message} (search entry '{doc.get('location', '')}', {key})", fragment


Finding = tuple[str, int, int, str]
"""A problem as a worker reports it: the file under the site folder, line, column and message."""
SEARCH_INDEX = "search/search_index.json"
BATCH = 50
"""Pages, or hundreds of search entries, a worker checks per task."""
PARALLEL_FROM = 500
"""Fewer pages than this are checked in this process: starting workers would cost more than it saves."""


def _check_pages(site: Path, names: list[str]) -> list[Finding]:
    findings = []
    for name in names:
        text = (site / name).read_text(encoding="utf-8", errors="replace")
        findings += [(name, line, column, message) for line, column, message in check_html(text, name)]
    return findings


def _check_entries(docs: list[Any]) -> list[Finding]:
    return [(SEARCH_INDEX, 1, 1, message) for message, _ in _search_index_findings(docs)]


def _run(task: tuple[Path, list[str]] | list[Any]) -> tuple[int, list[Finding]]:
    """Check one task: a batch of pages, or a slice of the search index. Returns how many pages it held."""
    if isinstance(task, tuple):
        return len(task[1]), _check_pages(*task)
    return 0, _check_entries(task)


def _results(tasks: list[Any], pages: int, jobs: int) -> Iterator[tuple[int, list[Finding]]]:
    """Each task's result, in order: on ``jobs`` worker processes when there are enough pages to share."""
    if jobs < 2 or pages < PARALLEL_FROM:
        yield from map(_run, tasks)
        return
    pool = multiprocessing.get_context(filecheck.start_method()).Pool(jobs)
    finished = False
    try:
        yield from pool.imap(_run, tasks)
        finished = True
    finally:
        if finished:
            pool.close()  # let the workers exit on their own, as generator/filecheck.py does
        else:
            pool.terminate()
        pool.join()


def check_site(
    site: Path,
    shown_as: str = "site",
    jobs: int | None = None,
    content: Path | None = None,
    scripts: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Check every HTML page of a built site, its search index and its other files (``generator.site_files``, with
    ``scripts`` the ones the configuration names); return one Problem per finding.

    A large site is shared among ``jobs`` worker processes (by default, one per core). With
    ``content``, a finding in a file that comes from a hand-written one names that file.
    """
    files = list(site_files.files(site))  # one walk of the site, for the pages and the other files
    names = sorted(name for name in files if name.endswith(".html"))
    docs = _search_index_docs(site / SEARCH_INDEX)
    tasks: list[Any] = [(site, names[start : start + BATCH]) for start in range(0, len(names), BATCH)]
    entries = [docs[start : start + 100 * BATCH] for start in range(0, len(docs), 100 * BATCH)]
    page_findings: list[Finding] = []
    index_findings: list[Finding] = []
    done = 0
    # The search index goes first, so the pages' counter runs to the end of the check.
    for pages, findings in _results(entries + tasks, len(names), filecheck.workers() if jobs is None else jobs):
        if not pages:
            index_findings += findings
            continue
        page_findings += findings
        done += pages
        progress.tick("post-build check", done, len(names))
    page_findings += site_files.check_files(site, files, scripts)
    generated = read_manifest(content) if content else set()
    sources = {name: hand_written_source(name, content, generated) if content else "" for name, *_ in page_findings}
    problems = [
        Problem(f"{shown_as}/{name}", line, column, text, hint=f"{_HOW[name.endswith('.html')]} {sources[name]}")
        if sources.get(name)
        else Problem(f"{shown_as}/{name}", line, column, text)
        for name, line, column, text in page_findings + index_findings
    ]
    return problems


_HOW = {True: "the page is built from", False: "the file is a copy of"}


def failed_check(problems: list[Problem], kept: str) -> str:
    """The line that closes a failed check's findings: how many files, and what was left as it was."""
    files = len({problem.file for problem in problems})
    return (
        f"post-build check: {files} file{'s' if files != 1 else ''} failed; {kept}. Remove the markup from the "
        "hand-written file; if it came from a fact value, report an escaping bug."
    )
