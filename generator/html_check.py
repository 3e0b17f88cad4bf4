"""What a built page may hold: no script, event handler or dangerous URL but the theme's own.

Escaping is the first defence; this is the second. ``check_html`` reads one page (or a fragment, or
another document) with the standard library's HTML parser and reports:

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
allow-list is empty. ``css_bad_urls`` reads a stylesheet or a ``style`` the same way.
"""

from __future__ import annotations

import importlib.util
import json
import posixpath
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from generator.problems import line_column

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
    "canonical alternate author license help next prev me bookmark external nofollow noopener noreferrer "
    "self via related enclosure edit hub replies".split()
)
"""``<link rel>`` types that name a page without loading anything (the last few are a feed's); any other
``<link>`` may load its href."""
SVG_URL_ATTRIBUTES = frozenset("fill stroke mask clip-path filter marker-start marker-mid marker-end cursor".split())
"""SVG presentation attributes that take a ``url()``, as their CSS properties do."""
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
_CSS_IMAGE_SET_REMOTE = re.compile(r"image-set\((?:[^()]|\([^()]*\))*?['\"](?:https?:|ftp:|//)")
"""``image-set()`` (and ``-webkit-image-set()``) loads the images it names as plain strings, without ``url()``."""
RAW_TEXT_ELEMENTS = ("script", "style", "textarea", "title", "xmp", "noscript", "noembed", "noframes", "iframe")
"""Elements whose content a browser reads as text up to their end tag (``noscript`` as the browser reads it with
scripts on), in HTML; inside ``<svg>`` or ``<math>``, and in XML, it reads their content as markup."""
_END_TAG_WITH_MORE = re.compile(rf"</({'|'.join(RAW_TEXT_ELEMENTS)})([\t\n\f\r /][^>]*)>", re.IGNORECASE)
"""An end tag with something after its name (``</style x>``): a browser ends the element's text there."""
_EARLY_COMMENT_END = re.compile(r"<!--->|<!-->|--!>")
_MARKED_SECTION = re.compile(r"<!\[")
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
    ``a javascript URL`` for each dangerous scheme, ``an expression()``, ``from another host`` for an
    address on another host."""
    text = _CSS_COMMENT.sub("", _css_unescape(css)).lower()
    text = re.sub(r"\s+", "", text)
    found = [f"a {m.group(1)} URL" for m in _CSS_URL.finditer(text) if m.group(1) in BAD_SCHEMES]
    if "expression(" in text:
        found.append("an expression()")
    remote = len(_CSS_REMOTE.findall(text)) + len(_CSS_IMAGE_SET_REMOTE.findall(text))
    return found + ["from another host"] * remote


def is_remote(value: str) -> bool:
    """Whether a URL attribute's value points at another host: an absolute or protocol-relative address."""
    return url_scheme(value) in REMOTE_SCHEMES or _as_browsers_read(value).startswith(("//", "\\\\", "/\\", "\\/"))


@cache
def theme_folder() -> Path | None:
    """The installed Material theme's templates and assets, as MkDocs copies them into a site."""
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "templates"


@cache
def theme_inline_scripts() -> tuple[re.Pattern[str], ...]:
    """Patterns for the inline scripts Material's templates write, read from the installed theme."""
    theme = theme_folder()
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
    """Collects every disallowed construct on one page as (line, column, message).

    ``raw_text`` names the elements whose content is read as text, not markup, up to their end tag.
    """

    def __init__(self, page: str, raw_text: tuple[str, ...] = HTMLParser.CDATA_CONTENT_ELEMENTS) -> None:
        self._raw_text = raw_text
        super().__init__(convert_charrefs=True)
        self.page = page
        self.findings: list[tuple[int, int, str]] = []
        self._script: tuple[int, int, str, dict[str, str]] | None = None
        self._script_body: list[str] = []
        self._style: tuple[int, int] | None = None
        self._style_body: list[str] = []

    def set_cdata_mode(self, elem: str, *args: Any, **kwargs: Any) -> None:
        if elem not in self._raw_text:  # Python's parser reads every script and style as text
            return
        super().set_cdata_mode(elem, *args, **kwargs)
        # A browser ends the text only at "</name" written so, and Python's parser also at "</ name".
        self.interesting = re.compile(rf"</{re.escape(elem)}\s*>", re.IGNORECASE)

    def _flag(self, message: str, snippet: str, position: tuple[int, int] | None = None) -> None:
        line, offset = position or self.getpos()
        shown = " ".join(snippet.split())
        shown = shown if len(shown) <= 120 else shown[:117] + "..."
        self.findings.append((line, offset + 1, f"{message}: {shown}"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_tag(tag, attrs)
        if tag in self._raw_text and tag not in HTMLParser.CDATA_CONTENT_ELEMENTS:
            self.set_cdata_mode(tag)
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
            elif name == "style" or name in SVG_URL_ATTRIBUTES:
                for what in css_bad_urls(value):
                    self._flag(f"{name} attribute loads {what}", snippet)

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
                except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
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


def check_html(text: str, page: str, *, xml: bool = False) -> list[tuple[int, int, str]]:
    """Return (line, column, message) for each disallowed construct in one HTML page (or, with ``xml``, an XML
    document whose prefixes are dropped).

    Python's parser is not a browser's. Where the two could read markup differently, the page is refused or read
    both ways: an end tag with more after its name ends the element, as in a browser; comments that a browser ends
    early (``<!-->``, ``--!>``) and marked sections (``<![CDATA[``, which a browser ends at the first ``>`` outside
    ``<svg>``) are refused; and the page is read once with ``script`` and ``style`` as text, as in HTML, and once
    with ``style`` as markup and the other text elements as text, as inside ``<svg>`` and as ``noscript`` is read
    when scripts run.
    """
    text = _END_TAG_WITH_MORE.sub(_plain_end_tag, text)
    findings = [
        (*line_column(text, m.start()), f"comment that a browser ends early: {m.group()}")
        for m in _EARLY_COMMENT_END.finditer(text)
    ]
    if not xml:
        findings += [
            (
                *line_column(text, m.start()),
                "marked section, which a browser reads as a comment that ends at the "
                f"first '>': {' '.join(text[m.start() : m.start() + 40].split())}",
            )
            for m in _MARKED_SECTION.finditer(text)
        ]
    for raw_text in (HTMLParser.CDATA_CONTENT_ELEMENTS, tuple(e for e in RAW_TEXT_ELEMENTS if e != "style")):
        checker = _PageChecker(page, raw_text)
        checker.feed(text)
        checker.close()
        findings += checker.findings
    return sorted(dict.fromkeys(findings), key=lambda finding: finding[:2])


def _plain_end_tag(match: re.Match[str]) -> str:
    """An end tag without what follows its name, as a browser reads it; its lines and columns stay as they were."""
    blank = re.sub(r"[^\n]", " ", match.group(2))
    return f"</{match.group(1)}{blank}>"
