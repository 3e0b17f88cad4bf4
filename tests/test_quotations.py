"""A quotation is someone's words: between the source's quotation marks, and in the passage it cites."""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import pytest

from generator import verify
from generator.quotations import UNQUOTED_HINT, quoted_spans
from generator.validate import load_corpus
from tests.test_verify import KURTI, QUOTE, edit, errors_of, line_of

REPO = Path(__file__).resolve().parent.parent
UNQUOTED = (
    "these words are in the stored text of 'rksnews-2026-01-20-lavrov-balkans' (line {line}), but not between "
    "quotation marks: the source does not give them as anyone's words"
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A writable copy of the real facts/ tree; returns the project folder."""
    shutil.copytree(REPO / "facts", tmp_path / "facts")
    return tmp_path


def quoted(text: str) -> list[str]:
    return [text[start:end] for start, end in quoted_spans(text)]


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        ("“These contacts are ongoing,” Lavrov said.", ["These contacts are ongoing,"]),
        ("Vučić je rekao: „Srbija neće priznati Kosovo“.", ["Srbija neće priznati Kosovo"]),  # Serbian
        ("Kurti tha: „Nuk besoj se do të ndodhë”.", ["Nuk besoj se do të ndodhë"]),  # Albanian, as often printed
        ("Лавров заявил: «Контакты продолжаются».", ["Контакты продолжаются"]),  # Russian
        ('He said "yes" and "no".', ["yes", "no"]),
        # An apostrophe inside a word closes nothing; the quotation inside another is part of it.
        ("“Kosovo’s army is ‘strong’ now,” he said.", ["Kosovo’s army is ‘strong’ now,"]),
        # A quotation that runs on opens again in the next paragraph; an unclosed mark quotes nothing.
        ("“One paragraph\n\n“and the next,” he said.", ["and the next,"]),
        ("The “quote never closes.\n\nNarration.", []),
        ("Kosovo’s and Serbia’s narration, no quotations.", []),
    ],
)
def test_quoted_spans_are_the_words_between_one_pair_of_marks(text: str, inside: list[str]) -> None:
    assert quoted(text) == inside


@pytest.mark.parametrize(
    ("words", "line"),
    [
        ("Serbia Acts Only If Ordered by the Kremlin", 17),  # the outlet's subheading
        ("Kosovo remains the only country without EU candidate status", 41),  # the outlet's narration
        # His words, run on past the closing mark into what the article says of him
        ("unless the Kremlin orders something,” Kurti said, adding that Belgrade would not dare", 21),
        ("“I do not believe it will happen", 21),  # the marks are the site's to add
    ],
)
def test_a_quotation_of_words_the_source_does_not_quote_fails_at_its_text(tree: Path, words: str, line: int) -> None:
    written = f'text: "{words}"'
    edit(tree, KURTI, f'text: "{QUOTE}"', written)
    [problem] = errors_of(tree)
    assert problem.location() == f"{KURTI}:{line_of(tree, KURTI, written)}:11"
    assert (problem.key_path, problem.message, problem.hint) == (
        "facts[3].text",
        UNQUOTED.format(line=line),
        UNQUOTED_HINT,
    )


def test_a_quotation_of_someone_else_fails_at_its_text(tree: Path) -> None:
    """Lavrov's words are quoted in the article, but Kurti's quotation cites the passage of Kurti's."""
    edit(tree, KURTI, f'text: "{QUOTE}"', 'text: "These contacts are ongoing"')
    [problem] = errors_of(tree)
    assert (problem.key_path, problem.message) == ("facts[3].text", "the quotation is not in the passage it cites")
    assert problem.hint.startswith("cite the passage that holds these words and says who spoke them")


def test_part_of_a_quotation_in_its_passage_is_still_a_quotation(tree: Path) -> None:
    edit(tree, KURTI, f'text: "{QUOTE}"', 'text: "The chances are very small"')
    assert errors_of(tree) == []


def _mismatched_passages(tree: Path, lengths: list[int]) -> list[str]:
    """Hints for passages of these many words, none of them in a stored text of few distinct words."""
    chance = random.Random(1)
    text = " ".join(chance.choice("abcd") for _ in range(400)) + "\n"
    sources = tree / "facts" / "sources"
    (sources / "wire-2026-01-20-x.txt").write_text(text, encoding="utf-8")
    (sources / "wire-2026-01-20-x.yaml").write_text(
        'title: "X"\npublisher: Wire\nurl: https://wire.example/x\nlanguage: en\npublished: "2026-01-20"\n'
        f'accessed: "2026-01-21"\nsnapshot:\n  file: wire-2026-01-20-x.txt\n'
        f"  sha256: {hashlib.sha256(text.encode()).hexdigest()}\n",
        encoding="utf-8",
    )
    entity = tree / "facts" / "entities" / "reuters.yaml"
    added = "".join(
        f'  - id: wire-fact-{n}\n    kind: report\n    text: "X."\n    date: "2026-01-20"\n'
        f"    topics: [diplomacy]\n    citations:\n      - source: wire-2026-01-20-x\n"
        f'        passage: "{" ".join(chance.choice("abcdz") for _ in range(length))}"\n'
        for n, length in enumerate(lengths)
    )
    entity.write_text(entity.read_text(encoding="utf-8") + added, encoding="utf-8")
    problems = load_corpus(tree / "facts", tree)[1]
    return [p.hint for p in problems if p.message == "passage not found in the stored text of 'wire-2026-01-20-x'"]


def test_the_closest_stretch_is_looked_for_in_few_short_passages_only(tree: Path) -> None:
    """Each search costs (passage words)² or more: a pull request could make validation run for hours."""
    long, short = verify.HINT_WORDS + 1, verify.HINT_WORDS
    hints = _mismatched_passages(tree, [long] + [short] * (verify.HINTS_LOOKED_FOR + 2))
    assert (
        hints[0] == "a passage this long is not compared word by word: cite a shorter one, copied from the stored text"
    )
    looked = hints[1 : verify.HINTS_LOOKED_FOR + 1]
    assert all(h.startswith(("closest passage in wire-", "no stretch of wire-")) for h in looked), looked
    assert (
        hints[verify.HINTS_LOOKED_FOR + 1 :]
        == [f"copy it from the stored text (no closer match is looked for after {verify.HINTS_LOOKED_FOR} mismatches)"]
        * 2
    )
