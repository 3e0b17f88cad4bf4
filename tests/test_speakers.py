"""Whose words: a claim or quotation whose passages name other people, and never its speaker, is warned about."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.speakers import HINT
from tests.test_verify import KURTI, edit, line_of, problems_of, tree  # noqa: F401

LAVROV = "facts/entities/sergei-lavrov.yaml"


def test_the_real_corpus_names_the_speaker_of_every_claim_that_names_anyone(tree: Path) -> None:  # noqa: F811
    assert problems_of(tree) == []


def test_a_quotation_given_to_someone_the_passage_does_not_name_is_warned_about(tree: Path) -> None:  # noqa: F811
    # Kurti's words, with the passage that says so ("…,” Kurti stated), given to Lavrov.
    old = "  - id: kurti-quote-think-twice\n    kind: quote\n    speaker: albin-kurti\n"
    edit(tree, KURTI, old, old.replace("albin-kurti", "sergei-lavrov"))
    [problem] = problems_of(tree)
    assert (problem.severity, problem.file, problem.key_path) == ("warning", KURTI, "facts[8].speaker")
    assert problem.line == line_of(tree, KURTI, "speaker: sergei-lavrov")
    assert problem.message == (
        "the passages this quotation cites name Albin Kurti, but not its speaker, Sergei Lavrov: "
        "nothing cited says the words are the speaker's"
    )
    assert problem.hint == HINT


@pytest.mark.parametrize(
    ("passage", "warned"),
    [
        ("Kurti said the situation in Bosnia and Herzegovina has become more complicated", True),  # Kurti alone
        ("Lavrov said Russia has more opportunities to communicate", False),  # the speaker, by his alias
        ("Moscow is communicating with the United States regarding the Balkans", False),  # no one: not told
    ],
)
def test_a_claim_is_warned_about_only_when_its_passages_name_others_and_not_the_speaker(
    tree: Path,  # noqa: F811
    passage: str,
    warned: bool,
) -> None:
    old = (
        'passage: "Moscow is communicating with the United States regarding the Balkans and remains open to further '
        'engagement on the region"'
    )
    edit(tree, LAVROV, old, f'passage: "{passage}"')
    problems = [p for p in problems_of(tree) if p.key_path.endswith(".speaker")]
    assert len(problems) == int(warned)
    if warned:
        assert problems[0].message.startswith("the passages this claim cites name Albin Kurti, but not its speaker")
