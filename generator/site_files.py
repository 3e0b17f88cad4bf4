"""The post-build check of a built site's files besides its HTML pages, and where each built file comes from.

``generator.postcheck`` reads the pages and the search index, with ``generator.html_check``. MkDocs also copies
into the site every other file under ``content/`` and the theme's ``overrides/``, and a browser runs or renders
some of them as it would a page:

- other documents (``.htm``, ``.xhtml``, ``.svg``, ``.xml`` ..., and ``.HTML`` in any case but the pages' own
  ``.html``) are read as the pages are. In an XML document, what makes an element a script is its namespace, not
  its prefix, so prefixes are dropped before it is read (``<s:script>`` is read as ``<script>``), and a document
  that declares entities or applies a stylesheet (XSLT, which can write script) is refused, as is an XSLT file;
- a stylesheet must load nothing from another host, and no ``javascript:`` or ``vbscript:`` URL or ``expression()``
  (Material's own stylesheets hold its icons as ``data:`` URLs, which run nothing);
- a script must be one of the theme's own, byte for byte, or one the configuration names (``extra_javascript``, and
  the offline bundle's polyfill), or the offline build's search index, which is the JSON index as a variable.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.html_check import check_html, css_bad_urls, theme_folder
from generator.ownership import read_manifest

DOCUMENT_SUFFIXES = frozenset(
    {".html", ".htm", ".xhtml", ".xhtm", ".xht", ".shtml", ".shtm", ".svg", ".xml", ".rss", ".atom", ".rdf"}
)
"""Files that a browser shows as a document, running what scripts they hold, in any case of their suffix: the pages
themselves, ``*.html``, are postcheck's."""
XML_SUFFIXES = frozenset({".xhtml", ".xhtm", ".xht", ".svg", ".xml", ".rss", ".atom", ".rdf"})
XSLT_SUFFIXES = frozenset({".xsl", ".xslt"})
_PREFIXED_TAG = re.compile(r"(</?)[A-Za-z_][\w.-]*:(?=[A-Za-z_])")
_PREFIXED_ATTRIBUTE = re.compile(r"(\s)[A-Za-z_][\w.-]*:(?=[A-Za-z_][\w.-]*\s*=)")
_XML_TRAPS = re.compile(r"<!ENTITY|<\?xml-stylesheet", re.IGNORECASE)
"""An entity, whose text the XML parser puts in as markup, and a stylesheet processing instruction (XSLT)."""
SCRIPT_SUFFIXES = frozenset({".js", ".mjs", ".cjs"})
OFFLINE_INDEX = "search/search_index.js"
"""The search index that Material's offline plugin writes, from the JSON index, for pages opened from disk."""
OFFLINE_INDEX_START = "var __index = "

Finding = tuple[str, int, int, str]
"""The file under the site folder, line, column and message."""


def scripts_of(config_file: Path) -> frozenset[str]:
    """``configured_scripts`` of a configuration file that MkDocs has just built a site with (so it reads)."""
    from mkdocs.utils.yaml import yaml_load

    with config_file.open("rb") as stream:
        return configured_scripts(yaml_load(stream) or {})


def configured_scripts(config: dict[str, Any]) -> frozenset[str]:
    """The site paths of the scripts a MkDocs configuration names: ``extra_javascript`` entries (a path, or a mapping
    with one) and Material's ``extra.polyfills``."""
    extra = config.get("extra")
    extra = extra if isinstance(extra, dict) else {}
    entries = [*(config.get("extra_javascript") or []), *(extra.get("polyfills") or [])]
    paths = (entry.get("path", "") if isinstance(entry, dict) else entry for entry in entries)
    return frozenset(str(path).removeprefix("./") for path in paths if path and "://" not in str(path))


def files(site: Path) -> Iterator[str]:
    """Every file under the site folder, as a path relative to it, in name order; links are not followed."""
    for folder, folders, files in os.walk(site):
        folders.sort()
        for name in sorted(files):
            yield Path(folder, name).relative_to(site).as_posix()


def _theme_script(site: Path, name: str) -> bool:
    """Whether a script in the site is the theme's file of that name, byte for byte (``content/`` could replace it)."""
    theme = theme_folder()
    own = theme / name if theme else None
    return own is not None and own.is_file() and own.read_bytes() == (site / name).read_bytes()


def _offline_index(site: Path, name: str) -> bool:
    """Whether a script is the offline search index: the JSON index, which postcheck reads, as a variable."""
    if name != OFFLINE_INDEX:
        return False
    try:
        index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
        return (site / name).read_text(encoding="utf-8") == OFFLINE_INDEX_START + index
    except (OSError, UnicodeDecodeError):
        return False


def check_files(site: Path, names: list[str], scripts: frozenset[str]) -> list[Finding]:
    """Check the files of a built site (``names``, from ``files``) that are no HTML page; ``scripts`` are the ones
    the configuration names."""
    findings: list[Finding] = []
    for name in names:
        suffix = os.path.splitext(name)[1].lower()
        if suffix in DOCUMENT_SUFFIXES and not name.endswith(".html"):
            text = (site / name).read_text(encoding="utf-8", errors="replace")
            if suffix in XML_SUFFIXES:
                if _XML_TRAPS.search(text):
                    findings.append((name, 0, 0, "XML document that declares an entity or applies a stylesheet"))
                text = _PREFIXED_ATTRIBUTE.sub(r"\1", _PREFIXED_TAG.sub(r"\1", text))  # lines stay where they were
            found = check_html(text, name, xml=suffix in XML_SUFFIXES)
            findings += [(name, line, column, message) for line, column, message in found]
        elif suffix in XSLT_SUFFIXES:
            findings.append((name, 0, 0, "XSLT stylesheet, which can write script into the documents it styles"))
        elif suffix == ".css":
            text = (site / name).read_text(encoding="utf-8", errors="replace")
            loads = [what for what in css_bad_urls(text) if what != "a data URL"]
            findings += [(name, 0, 0, f"stylesheet loads {what}") for what in loads]
        elif suffix in SCRIPT_SUFFIXES and not (
            name in scripts or _theme_script(site, name) or _offline_index(site, name)
        ):
            message = "script file that is neither the theme's own nor named in the configuration (extra_javascript)"
            findings.append((name, 0, 0, message))
    return findings


def hand_written_source(page: str, content: Path, generated: set[str] | None = None) -> str:
    """The hand-written file that a built file comes from, or "": a Markdown file under ``content`` for a page, and
    for any other file the one MkDocs copied, from ``content`` or from the theme's ``overrides/`` beside it.

    ``about/index.html`` (directory URLs) and ``about.html`` (the offline build) both come from
    ``about.md`` or ``about/index.md``. A generated page is listed in the manifest (``generated``,
    read from ``content`` if not given); it is not one.
    """
    if not page.endswith(".html"):
        folders = (content, content.parent / "overrides")
        return next((f"{folder.name}/{page}" for folder in folders if (folder / page).is_file()), "")
    stem = page.removesuffix(".html")
    stem = stem.removesuffix("/index") if stem.endswith("/index") else stem  # "data-index" is a page of its own
    generated = read_manifest(content) if generated is None else generated
    for name in (f"{stem}.md", f"{stem}/index.md"):
        if (content / name).is_file() and name not in generated:
            return f"{content.name}/{name}"
    return ""
