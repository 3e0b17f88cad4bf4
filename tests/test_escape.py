"""Escaping: every value is shown as written and adds no markup, in every place it goes (property-based)."""

from __future__ import annotations

import json
import re
import unicodedata
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tiny_corpus import REPO

from generator import escape
from generator.characters import forbidden
from generator.model import SITE_LANGUAGE

ALLOWED_EXTENSIONS = {"attr_list", "admonition", "footnotes", "tables", "toc"}
"""The Markdown extensions the site needs. Others (pymdownx.snippets, arithmatex, critic,
md_in_html, raw HTML helpers) can turn text into file contents, scripts or markup."""


def _site_config() -> dict:
    return yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))


def _extensions() -> list[str]:
    return [e if isinstance(e, str) else next(iter(e)) for e in _site_config()["markdown_extensions"]]


def test_the_site_language_the_pages_assume_is_the_themes() -> None:
    """Titles in another language are marked as such (``Source.title_language``): "another" than this."""
    assert _site_config()["theme"]["language"] == SITE_LANGUAGE


def test_mkdocs_enables_only_the_extensions_the_site_needs() -> None:
    assert set(_extensions()) == ALLOWED_EXTENSIONS
    assert not [name for name in _extensions() if name.startswith("pymdownx")]
    assert [p if isinstance(p, str) else next(iter(p)) for p in _site_config()["plugins"]] == ["search", "tags"]


# What validation lets through: no control, bidi or separator characters, no surrogates.
VALID_CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"))
VALID_TEXT = st.text(VALID_CHARACTERS, min_size=1, max_size=60).filter(lambda s: not forbidden(s) and s.strip() != "")
MARKDOWN_SYNTAX = st.text(st.sampled_from(list("<>&#*_[](){}|!`~^=$+-:.;\"'\\/ 1xa\n")), min_size=1, max_size=40)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag + "".join(f" {n}" for n, _ in attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag + "/")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _render(source: str) -> _Elements:
    html = markdown.markdown(source, extensions=_extensions())
    parsed = _Elements()
    parsed.feed(html)
    parsed.close()
    return parsed


def _folded(value: str) -> str:
    return " ".join(value.split())


@settings(max_examples=300, deadline=None)
@given(st.one_of(VALID_TEXT, MARKDOWN_SYNTAX))
def test_markdown_text_is_a_plain_paragraph_showing_the_value(value: str) -> None:
    for before, after, tags in (
        ("", "", ["p"]),  # a line of its own, e.g. a policy summary
        ("**1 May 2026.** ", "", ["p", "strong"]),  # after a date label
        ("# ", "", ["h1 id"]),  # a page title
        ("| A | B |\n| --- | --- |\n| ", " | x |", ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"]),
    ):
        parsed = _render(before + escape.markdown_text(value) + after)
        if not _folded(value):
            continue
        assert parsed.tags == tags, (value, before)
        text = _folded("".join(parsed.text))
        assert _folded(value) in text, (value, text)


@settings(max_examples=200, deadline=None)
@given(st.one_of(VALID_TEXT, MARKDOWN_SYNTAX))
def test_link_text_stays_inside_one_link(value: str) -> None:
    parsed = _render("See " + escape.link(value, "../people/x.md") + ".")
    if _folded(value):
        assert parsed.tags == ["p", "a href"]
        assert _folded("".join(parsed.text)) == f"See {_folded(value)}."


@settings(max_examples=300, deadline=None)
@given(VALID_TEXT)
def test_front_matter_strings_read_back_unchanged_with_libyaml(value: str) -> None:
    quoted = str(escape.yaml_string(value))
    assert yaml.load(quoted, Loader=yaml.CSafeLoader) == _folded(value)
    # front_matter_string is for places the theme writes as HTML: title and tags.
    shown = yaml.load(str(escape.front_matter_string(value)), Loader=yaml.CSafeLoader)
    assert "<" not in shown and ">" not in shown
    assert re.sub(r"&(lt|gt|amp);", lambda m: {"lt": "<", "gt": ">", "amp": "&"}[m.group(1)], shown) == _folded(value)


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda kids: st.lists(kids) | st.dictionaries(st.text(), kids),
        max_leaves=10,
    )
)
def test_json_for_html_round_trips_and_cannot_close_a_script(data: object) -> None:
    text = str(escape.json_for_html(data))
    assert json.loads(text) == data
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}


@pytest.mark.parametrize(
    "value",
    ["javascript:alert(1)", "JAVASCRIPT:x", " https://x.org", "data:text/html,x", "//evil.org", "ftp://x.org", ""],
)
def test_url_refuses_anything_but_http_and_https(value: str) -> None:
    with pytest.raises(ValueError, match="refusing to link to a non-http URL"):
        escape.url(value)


def test_url_cannot_leave_the_link_target() -> None:
    target = escape.url('https://x.org/a b)"<script>{: onclick=x}')
    assert target == "https://x.org/a%20b%29%22%3Cscript%3E%7B:%20onclick=x%7D"
    assert _render(f"[t]({target})").tags == ["p", "a href"]


@pytest.mark.parametrize("value", ["- item", "+ item", "1. item", "12) item", "---", "- - -"])
def test_a_value_starting_a_line_makes_no_list_or_rule(value: str) -> None:
    parsed = _render(escape.markdown_text(value))
    assert parsed.tags == ["p"]
    assert "".join(parsed.text) == value


def test_nfc_is_what_validation_keeps() -> None:
    # The loader stores NFC; escaping must not change it further.
    value = unicodedata.normalize("NFC", "Prishtine\u0308")
    assert "".join(_render(escape.markdown_text(value)).text) == value


@pytest.mark.parametrize(
    "value", ["///Footnotes Go Here///", "a ///Footnotes Go Here/// b", "////Footnotes Go Here////"]
)
def test_the_footnotes_extensions_marker_is_only_text(value: str) -> None:
    """Python-Markdown's footnotes extension replaces the element whose text holds its marker with the
    list of footnotes: a value holding it would move the list, and lose its own text."""
    html = markdown.markdown(
        f"{escape.markdown_text(value)}[^1]\n\nAfter.\n\n[^1]: A source.\n", extensions=_extensions()
    )
    parsed = _Elements()
    parsed.feed(html)
    assert _folded("".join(parsed.text)).startswith(value)
    assert html.index('<div class="footnote">') > html.index("After.")


class _Hrefs(HTMLParser):
    """The href of every link, as a browser reads it (character references decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value or "" for name, value in attrs if tag == "a" and name == "href"]


@pytest.mark.parametrize(
    "address",
    [
        "https://example.org/a?q=1&b=2",
        "https://example.org/a?title=&lt;i&gt;",  # written so: not a "<" the browser should follow
        "https://example.org/a?x=&#60;&y=&#x3c;&z=&amp;",
        "https://example.org/a&b;c",
    ],
)
def test_an_address_is_followed_as_it_was_recorded(address: str) -> None:
    html = markdown.markdown(escape.link("x", escape.url(address)), extensions=["attr_list"])
    parser = _Hrefs()
    parser.feed(html)
    assert parser.hrefs == [address]
