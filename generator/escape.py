"""Escaping of YAML values for each place they go in generated Markdown.

Templates receive raw values and Jinja's ``finalize`` passes each one through
``markdown_text`` unless it is already ``Markup`` (built here, from escaped parts).
Markdown syntax characters become numeric character references, which
Python-Markdown leaves alone and the browser shows as the original character.
Backslash escapes are not used: some extensions undo them.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

# Every character that starts Markdown, HTML or pymdownx syntax inside a line.
_SPECIAL = "\\`*_{}[]<>#!|~^=$&"
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
_HAS_SPECIAL = re.compile("[" + re.escape(_SPECIAL) + "]").search
_ORDERED = re.compile(r"[0-9]+[.)]")


def markdown_text(value: Any) -> Markup:
    """Escape a value for Markdown running text: one line, no syntax, shown as written."""
    if isinstance(value, Markup):
        return value
    text = value if type(value) is str else str(value)
    return _escape_short(text) if len(text) <= 64 else _escape(text)


def _escape(text: str) -> Markup:
    text = " ".join(text.split())
    if _HAS_SPECIAL(text) is not None:  # most text has none, and a search costs less than a translate
        text = text.translate(_TABLE)
    if "///" in text:  # the footnotes extension puts its list in place of any text with "///Footnotes Go Here///"
        text = text.replace("///", "&#47;//")
    # A value may start a line: keep "- x", "+ x" and "1. x" from becoming lists or rules.
    if text[:1] in ("-", "+"):
        text = f"&#{ord(text[0])};{text[1:]}"
    elif (marker := _ORDERED.match(text)) is not None:
        end = marker.end() - 1
        text = f"{text[:end]}&#{ord(text[end])};{text[end + 1 :]}"
    return Markup(text)


# Names, dates and publishers are escaped on every page that shows them: escape each once.
_escape_short = lru_cache(maxsize=1 << 16)(_escape)


def html_attribute(value: Any) -> Markup:
    """Escape a value for a double-quoted HTML attribute."""
    return Markup(html.escape(" ".join(str(value).split()), quote=True))


_REFERENCE = re.compile(r"&(?=#[0-9]+;|#x[0-9a-f]+;|[0-9a-z]+;)", re.IGNORECASE)


def url(value: str) -> Markup:
    """Make a validated http(s) URL safe inside a Markdown link target."""
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"refusing to link to a non-http URL: {value!r}")
    # An "&" that starts what HTML reads as a character reference ("&lt;", "&#60;") is written "&amp;",
    # so that the browser follows the address as recorded; any other "&" stays as it is.
    return Markup(_REFERENCE.sub("&amp;", quote(value, safe=":/?#@!$&+,;=%-._~")))


def language(lang: str) -> Markup:
    """The attribute list (``{ lang="ru" }``) that marks a link or heading as text in another language than
    the site's, for screen readers and hyphenation; nothing for no language."""
    return Markup(f'{{ lang="{html_attribute(lang)}" }}') if lang else Markup("")


def link(text: Any, target: str, lang: str = "") -> Markup:
    """Build a Markdown link from untrusted text and a trusted or validated target, in ``lang`` if given."""
    return Markup(f"[{markdown_text(text)}]({target}){language(lang)}")


def json_for_html(data: Any) -> Markup:
    """Serialise data as JSON that is safe inside an HTML ``<script>`` element."""
    return script_safe_json(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None, separators=(",", ":")))


def script_safe_json(text: str) -> Markup:
    """Make JSON text safe inside an HTML ``<script>`` element, as ``json_for_html`` writes it."""
    for char, replacement in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, replacement)
    return Markup(text)


def yaml_string(value: Any) -> Markup:
    """Quote a value as a YAML double-quoted scalar that any YAML parser reads back unchanged."""
    return Markup('"' + _YAML_ESCAPED.sub(_yaml_escape, " ".join(str(value).split())) + '"')


# Every character but printable ASCII other than '"' and '\\' is written as an escape sequence.
_YAML_ESCAPED = re.compile(r"[^\x20\x21\x23-\x5b\x5d-\x7e]")


def _yaml_escape(match: re.Match[str]) -> str:
    char = match[0]
    code = ord(char)
    if char in '"\\':
        return "\\" + char
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"  # JSON's surrogate pairs are not YAML: libyaml rejects them, and MkDocs uses libyaml


def front_matter_string(value: Any) -> Markup:
    """Quote a value for page front matter (``title``, ``tags``) that the theme inserts as HTML.

    Material writes ``page.meta.title`` and tag names into pages unescaped, so the
    value is HTML-escaped first, then quoted as YAML.
    """
    return yaml_string(html.escape(" ".join(str(value).split()), quote=False))
