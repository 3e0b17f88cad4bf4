"""Source pages name the language a source is written in, and keep its code."""

from __future__ import annotations

from generator.languages import NAMES, language_name
from tests.goldens import render_corpus


def test_known_codes_are_named_and_keep_their_code() -> None:
    assert language_name("sq") == "Albanian (sq)"
    assert language_name("sr-Latn") == "Serbian (sr-Latn)"
    assert language_name("cnr") == "Montenegrin (cnr)"
    assert language_name("RU") == "Russian (RU)"


def test_an_unknown_code_is_shown_as_written() -> None:
    assert language_name("xx") == "xx"
    assert language_name("tlh-Latn") == "tlh-Latn"


def test_the_table_names_each_language_of_the_region_once() -> None:
    for code in ("sq", "sr", "bs", "hr", "mk", "cnr", "sl", "en", "ru"):
        assert code in NAMES
    assert len(set(NAMES.values())) == len(NAMES)


def test_real_source_pages_name_their_language() -> None:
    rendered_real = render_corpus("real")
    assert "| Language | Albanian (sq) |" in rendered_real["sources/noa-2026-01-20-lavrov-balkans.md"]
    assert "| Language | Russian (ru) |" in rendered_real["sources/tass-2026-01-20-lavrov-balkans.md"]
    assert "| Language | English (en) |" in rendered_real["sources/rksnews-2026-01-20-lavrov-balkans.md"]
