"""Property-based: random valid corpora validate, render and build; random strings show up unchanged as text."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiny_corpus import FILES, cli_env, make_project, page_text

from generator.characters import forbidden, look_alike
from generator.escape import yaml_string

TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda s: not forbidden(s) and s.strip() != "")
NAME_PUNCTUATION = list(" .,'’()-–/")
NAME = st.text(
    st.characters(categories=("L", "Nd")) | st.sampled_from(NAME_PUNCTUATION), min_size=1, max_size=30
).filter(lambda s: s.strip(" ") != "" and not forbidden(s))


def _shown(value: str) -> str:
    """What a reader should see: the NFC form the loader keeps, whitespace folded."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def _name_key(pair: tuple[str, str]) -> str:
    """A name as the validator compares it with the others: no two entities have names a reader could confuse."""
    return look_alike(pair[0])


def _stored_key(pair: tuple[str, str]) -> bytes:
    """A stored text as the validator compares it with the others: two sources never store the same text."""
    return f"{pair[1]}\n".encode().rstrip()


def _corpus(names: list[str], texts: list[str]) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(FILES)
    for i, (name, text) in enumerate(zip(names, texts, strict=True)):
        files[f"entities/random-{i}.yaml"] = (
            f"name: {yaml_string(name)}\ntype: organisation\nfacts:\n"
            f"  - id: random-fact-{i}\n    kind: report\n    text: {yaml_string(text)}\n"
            f'    date: "2026-03-0{i % 9 + 1}"\n    topics: [security]\n'
            f"    citations:\n      - source: src-{i}\n        passage: {yaml_string(text)}\n"
        )
        stored = f"{text}\n".encode()  # the passage is the text, so the source stores it: it can then be checked
        files[f"sources/src-{i}.txt"] = stored
        files[f"sources/src-{i}.yaml"] = (
            f"title: {yaml_string(text)}\npublisher: {yaml_string(name)}\nurl: https://example.org/{i}\n"
            f'language: en\npublished: "2026-03-0{i % 9 + 1}"\naccessed: "2026-03-10"\n'
            f"snapshot:\n  file: src-{i}.txt\n  sha256: {hashlib.sha256(stored).hexdigest()}\n"
        )
    return files


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.tuples(NAME, TEXT), min_size=8, max_size=8, unique_by=(_name_key, _stored_key)))
def test_random_corpora_build_and_show_every_string_as_text(pairs: list[tuple[str, str]]) -> None:
    names, texts = [p[0] for p in pairs], [p[1] for p in pairs]
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder) / "p", _corpus(names, texts))
        result = subprocess.run(
            [sys.executable, "-m", "generator", "build"], cwd=root, env=cli_env(), capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        site = root / "site"
        for i, (name, text) in enumerate(pairs):
            profile = page_text(site / "organisations" / f"random-{i}" / "index.html").text
            assert _shown(name) in profile
            assert _shown(text) in profile
            source = page_text(site / "sources" / f"src-{i}" / "index.html").text
            assert source.startswith(_shown(text)), (text, source[:200])
            assert _shown(name) in source
