"""Passages and quotations are checked word for word against the stored source texts."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import random
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import near_miss, verify
from generator.loader import load_file
from generator.near_miss import ALIKE, _best_window, closest_passage
from generator.problems import Problem, format_text
from generator.validate import load_corpus
from generator.verify import fold, fold_text, says_words

REPO = Path(__file__).resolve().parent.parent
KURTI = "facts/entities/albin-kurti.yaml"
RKSNEWS = "facts/sources/rksnews-2026-01-20-lavrov-balkans"
QUOTE = "I do not believe it will happen. The chances are very small — unless the Kremlin orders something"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A writable copy of the real facts/ tree; returns the project folder."""
    shutil.copytree(REPO / "facts", tmp_path / "facts")
    return tmp_path


def edit(root: Path, name: str, old: str, new: str, count: int = 1) -> None:
    """Replace text in a file of the tree, insisting it is there exactly ``count`` times."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


TRUMP = "facts/entities/donald-trump.yaml"
AFTER_TRUMPS_ROLE = "\nfacts:\n"
"""What follows his role, the only one in his file: a citation put before it is the role's last."""


def cite_on_trumps_role(root: Path, source: str, passage: str = "") -> None:
    """Give Trump's role one more citation, after the article's."""
    more = f"      - source: {source}\n" + (f"        passage: {passage}\n" if passage else "")
    edit(root, TRUMP, AFTER_TRUMPS_ROLE, "\n" + more + "facts:\n")


class Searched(str):
    """A folded text that counts the characters its searches go through: a search ends where it finds, and a
    comparison of a stretch with words costs their length."""

    searched = 0

    def find(self, sub: str, start: int | None = None, end: int | None = None) -> int:  # type: ignore[override]
        at = str.find(self, sub, start, end)
        self.searched += (len(self) if at < 0 else at + len(sub)) - (start or 0)
        return at

    def startswith(self, prefix: str, start: int | None = None) -> bool:  # type: ignore[override]
        self.searched += len(prefix)
        return str.startswith(self, prefix, start)


def test_words_that_repeat_themselves_are_found_at_each_place_with_one_read_of_the_text() -> None:
    """Words found at every other character ("a a a" in "a a a a …") cost their length at each place if searched
    for again: a passage of 4,000 characters in an 8 MB text, some minutes."""
    text = Searched(fold_text("a " * 20_000))
    needle = fold_text("a " * 1_000)
    assert list(verify._whole_words(text, needle)) == list(range(0, len(text) - len(needle) + 1, 2))
    assert text.searched <= 3 * len(text), text.searched / len(text)


def test_words_are_found_at_the_same_places_however_they_repeat() -> None:
    chance = random.Random(7)
    for _ in range(3_000):
        text = "".join(chance.choices("ab ", k=chance.randrange(1, 40)))
        needle = "".join(chance.choices("ab ", k=chance.randrange(1, 8)))
        every = [i for i in range(len(text)) if text.startswith(needle, i)]
        assert list(verify._starts(text, needle)) == every, (text, needle)


def test_words_are_looked_for_in_a_passage_once_not_at_each_of_its_places(monkeypatch: pytest.MonkeyPatch) -> None:
    """The attribution check reads the words beside a quotation in its passage: a passage that stands thousands of
    times in the text was searched for the words at each place, and searched for everywhere when they are not in it."""
    passage = fold_text("Kurti said: “go now” today.")
    text = fold("Kurti said: “go now” today.\n" * 3_000)
    text = dataclasses.replace(text, text=Searched(text.text))
    searches: list[str] = []
    real = verify._whole_words

    def counted(within: str, needle: str, places: verify.Places | None = None) -> Iterator[int]:
        searches.append(needle)
        return real(within, needle, places)

    monkeypatch.setattr(verify, "_whole_words", counted)
    assert len(list(text.occurrences_inside(passage, "go now"))) == 3_000
    assert searches == ["go now", passage]  # in the passage once, then the passage in the text
    searches.clear()
    text.text.searched = 0
    assert list(text.occurrences_inside(passage, "stay")) == []
    assert (searches, text.text.searched) == (["stay"], 0)  # the text is not searched for the passage at all


def problems_of(root: Path) -> list[Problem]:
    """Every problem the validator finds in a tree."""
    return load_corpus(root / "facts", root)[1]


def errors_of(root: Path) -> list[Problem]:
    """Only the errors."""
    return [p for p in problems_of(root) if p.severity == "error"]


def line_of(root: Path, name: str, needle: str) -> int:
    """1-based line of the one line of a file that contains a needle."""
    lines = [i for i, line in enumerate((root / name).read_text().splitlines(), 1) if needle in line]
    assert len(lines) == 1, lines
    return lines[0]


def test_folding_makes_typography_equal() -> None:
    assert fold("“Yes” — it’s\u00a0 done").text == '"Yes" - it\'s done'
    assert fold("Kosovo–Serbia ‑ talks").text == "Kosovo-Serbia - talks"
    assert fold("Cafe\u0301\n\n  open").text == "Café open"
    assert fold("A").text != fold("a").text


def test_invisible_characters_of_a_stored_text_never_stop_a_passage_matching() -> None:
    """A page can carry soft hyphens and zero-width spaces, which a passage in YAML may not."""
    stored = fold("In the Bal\u00adkans \u200b region, Prish\u200btina\u2060 said")
    assert stored.text == "In the Balkans region, Prishtina said"
    at = stored.find("Balkans region, Prishtina")
    assert at == stored.original.index("Bal")
    assert stored.origin[-1] == len(stored.original) - 1  # positions still point into the original
    assert fold_text("a \u200b b") == "a b"
    assert fold("Lavrov\u200e said").find("Lavrov said") == 0  # a left-to-right mark, common in pasted text


def test_the_closest_passage_is_shown_without_invisible_characters() -> None:
    closest = closest_passage(fold("Kosovo Secu\u00adrity Force grew fast.\n"), "Kosovo Security Force grows fast")
    assert closest is not None
    assert "\u00ad" not in closest.source_side
    assert closest.source_side == "Kosovo Security Force «grew» fast."


@pytest.mark.parametrize(
    ("passage", "source_side", "passage_side"),
    [
        ("We will not let Moscow decide who crosses our bor", "«border,”»", "«bor»"),  # cut inside a word
        ("We will not let Moscow decide who crosses our border", "border,”", "border"),  # before punctuation
    ],
)
def test_a_passage_cut_inside_a_word_has_the_word_marked(passage: str, source_side: str, passage_side: str) -> None:
    text = fold("“We will not let Moscow decide who crosses our border,” the minister said.\n")
    closest = closest_passage(text, passage)
    assert closest is not None
    assert closest.source_side == "“We will not let Moscow decide who crosses our " + source_side
    assert closest.passage_side == "We will not let Moscow decide who crosses our " + passage_side


def test_a_passage_that_starts_after_a_hyphen_has_nothing_marked_there() -> None:
    # "border traffic" is in "cross-border traffic" as whole words (as find says), so only Tuesday differs.
    text = fold("Then the cross-border traffic was halted on Monday, officials said.\n")
    assert text.find("border traffic was halted on Monday") >= 0
    closest = closest_passage(text, "border traffic was halted on Tuesday")
    assert closest is not None
    assert closest.passage_side == "border traffic was halted on «Tuesday»"
    assert closest.source_side == "cross-border traffic was halted on «Monday,»"  # as stored, unmarked


def test_real_corpus_has_no_problem_and_every_passage_verifies(real_corpus: object) -> None:
    corpus, problems = load_corpus(REPO / "facts", REPO)
    assert problems == []
    assert corpus is not None
    stored = {s.id for s in corpus.sources if s.snapshot}
    passages = [c for f in corpus.facts for c in f.citations if c.passage]
    passages += [c for e in corpus.entities for r in e.roles for c in r.citations if c.passage]
    assert passages and all(c.source in stored for c in passages)


def test_quote_altered_by_one_word_fails_at_its_text_with_the_closest_passage(tree: Path) -> None:
    edit(tree, KURTI, f'text: "{QUOTE}"', f'text: "{QUOTE.replace("very small", "very tiny")}"')
    [problem] = errors_of(tree)
    assert problem.location() == f"{KURTI}:{line_of(tree, KURTI, 'very tiny')}:11"
    assert problem.key_path == "facts[3].text"
    assert problem.message == (
        "quotation not found word for word in the stored text of 'rksnews-2026-01-20-lavrov-balkans'"
    )
    assert problem.hint == (
        "closest passage in rksnews-2026-01-20-lavrov-balkans.txt, line 21; the differences are marked «»:\n"
        "source: “I do not believe it will happen. The chances are very «small» — unless the Kremlin orders "
        "something,”\n"
        "yours:  I do not believe it will happen. The chances are very «tiny» — unless the Kremlin orders something"
    )
    shown = format_text(problem, tree)
    assert shown.splitlines()[-3:] == [
        "  hint: closest passage in rksnews-2026-01-20-lavrov-balkans.txt, line 21; the differences are marked «»:",
        "        source: “I do not believe it will happen. The chances are very «small» — unless the Kremlin "
        "orders something,”",
        "        yours:  I do not believe it will happen. The chances are very «tiny» — unless the Kremlin orders "
        "something",
    ]


def test_passage_altered_by_one_word_fails_at_the_passage(tree: Path) -> None:
    old = 'passage: "Kurti emphasized that Kosovo now has a strong military"'
    edit(tree, KURTI, old, old.replace("strong", "weak"))
    [problem] = errors_of(tree)
    assert problem.location() == f"{KURTI}:{line_of(tree, KURTI, 'now has a weak military')}:18"
    assert problem.key_path == "facts[6].citations[0].passage"
    assert problem.message == "passage not found in the stored text of 'rksnews-2026-01-20-lavrov-balkans'"
    assert problem.hint.splitlines()[1:] == [
        "source: Kurti emphasized that Kosovo now has a «strong» military,",
        "yours:  Kurti emphasized that Kosovo now has a «weak» military",
    ]


def test_a_passage_that_starts_or_ends_inside_a_word_of_the_source_is_not_found(tree: Path) -> None:
    """ "8 advanced operational bases" is a substring of the source's "48 advanced …", and says another thing."""
    old = 'passage: "citing the presence of 48 advanced operational bases along Kosovo’s borders"'
    edit(tree, KURTI, old, 'passage: "8 advanced operational bases along Kosovo’s borders"')
    edit(tree, KURTI, 'text: "there are 48 advanced', 'text: "there are 8 advanced')
    [problem] = errors_of(tree)
    assert problem.message == "passage not found in the stored text of 'rksnews-2026-01-20-lavrov-balkans'"
    line = line_of(tree, KURTI, 'passage: "8 advanced')
    assert problem.location() == f"{KURTI}:{line}:18"


@pytest.mark.parametrize(
    ("needle", "found"),
    [
        ("48 advanced operational bases", True),
        ("Serbia, citing", True),  # punctuation ends a word
        ("Kosovo", True),  # before an apostrophe: "Kosovo’s"
        ("8 advanced operational bases", False),
        ("Serb", False),
        ("bases along Kos", False),
        ("resence of 48", False),
    ],
)
def test_a_passage_matches_whole_words_only(needle: str, found: bool) -> None:
    text = fold(
        "warned of a threat from Serbia, citing the presence of 48 advanced operational bases along Kosovo’s borders."
    )
    assert (text.find(needle) >= 0) is found


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("senior officials in Kosovo", True),
        ("Senior Officials in KOSOVO", True),  # a group is named whatever its capitals
        ("officials in Kosovo", True),
        ("Kosovo's warnings", True),  # straight and curly apostrophes are one
        ("senior official", False),
        ("officials in Kos", False),
    ],
)
def test_a_group_is_found_in_a_passage_as_whole_words_whatever_its_case(words: str, found: bool) -> None:
    assert says_words("Kosovo’s warnings came from senior officials in Kosovo, among others.", words) is found


@pytest.mark.parametrize(
    ("text", "words", "found"),
    [
        # Case folding turns "İ" into "i" and a combining dot: the word "KİSTAN" does not end after "Kİ".
        ("officials of K\u0130STAN", "officials of K\u0130", False),
        ("officials of K\u0130 said", "officials of K\u0130", True),
        ("officials of K\u0130 said", "officials of ki\u0307", True),
        # A letter with no single-character form keeps its combining mark after NFC.
        ("the village of Gjakova\u0331 said", "village of Gjakova", False),
        ("the village of Gjakova\u0331 said", "village of Gjakova\u0331", True),
    ],
)
def test_a_word_ending_in_a_combining_mark_ends_after_the_mark(text: str, words: str, found: bool) -> None:
    assert says_words(text, words) is found
    assert (fold(text).find(words) >= 0) is (found and words in text)


@pytest.mark.parametrize("gap", ["…", "..."])
def test_a_quote_with_words_left_out_is_told_it_is_one_unbroken_stretch(tree: Path, gap: str) -> None:
    elided = f"I do not believe it will happen {gap} unless the Kremlin orders something"
    edit(tree, KURTI, f'text: "{QUOTE}"', f'text: "{elided}"')
    [problem] = errors_of(tree)
    assert problem.hint == (
        "no stretch of rksnews-2026-01-20-lavrov-balkans.txt is close to these words: they must be one unbroken "
        "stretch of it, and an ellipsis cannot leave words out; record each part on its own"
    )


def test_missing_and_extra_words_are_marked_on_the_side_that_lacks_them() -> None:
    stored = fold("Kurti: Serbia Acts Only If Ordered by the Kremlin\n")
    closest = closest_passage(stored, "Kurti: Serbia Acts If Ordered by the big Kremlin")
    assert closest is not None
    assert closest.source_side == "Kurti: Serbia Acts «Only» If Ordered by the «(not in the source)» Kremlin"
    assert closest.passage_side == "Kurti: Serbia Acts «(left out)» If Ordered by the «big» Kremlin"


def test_a_quote_that_is_nowhere_near_the_stored_text_is_not_shown_a_near_miss(tree: Path) -> None:
    invented = "We will join the Union tomorrow"
    edit(tree, KURTI, f'text: "{QUOTE}"', f'text: "{invented}"')
    [problem] = errors_of(tree)
    assert problem.key_path == "facts[3].text"
    assert problem.hint == (
        "no stretch of rksnews-2026-01-20-lavrov-balkans.txt is close to these words; copy them from it as written"
    )
    stored = fold((REPO / "facts/sources/rksnews-2026-01-20-lavrov-balkans.txt").read_text(encoding="utf-8"))
    closest = closest_passage(stored, invented)
    assert closest is not None and closest.alike < 0.5  # 'the' and 'Union' are in the text, nothing more
    near = closest_passage(stored, QUOTE.replace("very small", "very tiny"))
    assert near is not None and near.alike > 0.9


def test_a_passage_typed_with_straight_quotes_and_hyphens_is_found_but_must_keep_the_source_s_characters(
    tree: Path,
) -> None:
    """Found as a keyboard types it, so the hint can give it as printed: footnotes quote it as the source's words."""
    words = "I do not believe it will happen. The chances are very small {} unless the Kremlin orders something,"
    curly = f'passage: "“{words.format("—")}” Kurti said"'
    straight = f"passage: '\"{words.format('-')}\" Kurti said'"
    edit(tree, KURTI, curly, straight, count=2)
    problems = errors_of(tree)
    assert [p.key_path for p in problems] == ["facts[3].citations[0].passage", "facts[4].citations[1].passage"]
    assert {(p.message, p.hint) for p in problems} == {
        (
            "the passage has the words of 'rksnews-2026-01-20-lavrov-balkans', but not all of its characters",
            f"write it as the source prints it: “{words.format('—')}” Kurti said",
        )
    }


def test_line_breaks_and_runs_of_spaces_are_one_space(tree: Path) -> None:
    edit(tree, KURTI, f'text: "{QUOTE}"', "text: >-\n      " + QUOTE.replace(" — ", " —\n      "))
    edit(tree, KURTI, 'passage: "Kosovo’s Acting', 'passage: "Kosovo’s   Acting', count=2)
    assert problems_of(tree) == []


def test_snapshot_changed_by_one_byte_fails_at_its_hash(tree: Path) -> None:
    snapshot = tree / f"{RKSNEWS}.txt"
    data = bytearray(snapshot.read_bytes())
    data[0] ^= 0x20  # "Lavrov" becomes "lavrov"
    snapshot.write_bytes(bytes(data))
    [problem] = errors_of(tree)
    assert problem.location() == f"{RKSNEWS}.yaml:{line_of(tree, RKSNEWS + '.yaml', 'sha256:')}:11"
    assert problem.message == (
        "snapshot 'rksnews-2026-01-20-lavrov-balkans.txt' does not match its recorded SHA-256: "
        "the text or the hash differs"
    )
    assert problem.hint == (
        f"its SHA-256 is {hashlib.sha256(bytes(data)).hexdigest()}; "
        "if you are adding this source, record that hash; if not, restore the original text rather than the hash"
    )


def test_passage_to_a_source_without_stored_text_is_refused(tree: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """Footnotes print a passage in quotation marks as the source's words; unchecked, it could be anyone's."""
    cite_on_trumps_role(tree, "noa-2026-01-20-lavrov-balkans", passage="Trump signed")
    [problem] = problems_of(tree)
    assert (problem.severity, problem.key_path) == ("error", "roles[0].citations[1].passage")
    assert problem.message == (
        "source 'noa-2026-01-20-lavrov-balkans' has no stored text, so this passage cannot be checked"
    )
    assert problem.hint == "store the article's text as a snapshot, or drop the passage"
    assert run_cli("validate", cwd=tree).returncode == 1


@pytest.mark.parametrize("fact_id", ["kurti-quote-think-twice", "kurti-potential-threat-from-serbia"])
def test_claim_or_quote_citing_stored_text_without_passage_is_refused(tree: Path, fact_id: str) -> None:
    """Without the passage that gives the words to someone, no check sees whose words they are."""
    path = tree / "facts/entities/albin-kurti.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {fact_id}\n")
    end = text.find("\n  - id: ", start)
    block = text[start:end]
    passage = next(line for line in block.splitlines() if line.strip().startswith("passage: "))
    path.write_text(text[:start] + block.replace("\n" + passage, "") + text[end:], encoding="utf-8")
    [problem] = problems_of(tree)
    assert problem.severity == "error" and problem.key_path.endswith(".citations[0]")
    assert problem.message == (
        "source 'rksnews-2026-01-20-lavrov-balkans' has stored text; quote the passage that gives this to its speaker"
    )
    assert problem.hint == "copy the words that say who said it, such as: “…,” the minister said"


def test_citation_of_stored_text_without_passage_warns(tree: Path) -> None:
    passage = "On December 18 of last year, U.S. President Donald Trump signed the National Defense Authorization Act"
    edit(tree, "facts/entities/donald-trump.yaml", f'        passage: "{passage}"\n', "")
    [problem] = problems_of(tree)
    assert (problem.severity, problem.key_path) == ("warning", "facts[0].citations[0]")
    assert problem.message == (
        "source 'rksnews-2026-01-20-lavrov-balkans' has stored text; quote the passage that supports this"
    )


@pytest.mark.parametrize(
    ("passage", "warned"), [("military", True), ("strong military", True), ("a strong military", False)]
)
def test_a_passage_too_short_to_say_anything_warns(tree: Path, passage: str, warned: bool) -> None:
    """A passage of a word or two is in the source, but it only shows that the source uses those words."""
    written = f'passage: "{passage}"'
    edit(tree, KURTI, 'passage: "Kurti emphasized that Kosovo now has a strong military"', written)
    problems = problems_of(tree)
    assert [p for p in problems if p.severity == "error"] == []
    short = [p for p in problems if "cannot show what the source says" in p.message]
    expected = [("warning", f"{KURTI}:{line_of(tree, KURTI, written)}:18")] if warned else []
    assert [(p.severity, p.location()) for p in short] == expected


def _replace_in_fact(root: Path, fact_id: str, old: str, new: str) -> None:
    """Edit the block of one fact of the Kurti file."""
    path = root / KURTI
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {fact_id}\n")
    end = text.find("  - id: ", start + 1)
    block = text[start:end]
    assert block.count(old) == 1
    path.write_text(text[:start] + block.replace(old, new) + text[end:], encoding="utf-8")


def test_quote_citing_only_sources_without_stored_text_fails(tree: Path) -> None:
    stored = (
        '      - source: rksnews-2026-01-20-lavrov-balkans\n        passage: "“I do not believe it will happen. '
        'The chances are very small — unless the Kremlin orders something,” Kurti said"\n'
    )
    _replace_in_fact(
        tree, "kurti-quote-unless-kremlin-orders", stored, "      - source: tass-2026-01-20-lavrov-balkans\n" + stored
    )
    assert problems_of(tree) == []  # one stored text among the cited sources is enough
    _replace_in_fact(tree, "kurti-quote-unless-kremlin-orders", stored, "")
    [problem] = errors_of(tree)
    assert problem.key_path == "facts[3].text"
    assert problem.message == "a quotation must cite a source whose text is stored, so its words can be checked"


def _quoted_nodes(path: Path) -> list[tuple[tuple[str | int, ...], str]]:
    """Every passage and quotation of an entity file, with its data path."""
    data = load_file(path).data
    nodes = []
    for group in ("roles", "facts"):
        for i, item in enumerate(data.get(group, [])):
            if item.get("kind") == "quote":
                nodes.append(((group, i, "text"), item["text"]))
            for j, citation in enumerate(item["citations"]):
                if "passage" in citation:
                    nodes.append(((group, i, "citations", j, "passage"), citation["passage"]))
    return nodes


def test_changing_one_word_of_any_quoted_passage_fails_at_its_line(tree: Path) -> None:
    checked = 0
    for path in sorted((tree / "facts" / "entities").glob("*.yaml")):
        original = path.read_text(encoding="utf-8")
        doc = load_file(path)
        lines = original.split("\n")
        for data_path, value in _quoted_nodes(path):
            line, column = doc.marks[data_path]
            word = max(re.findall(r"[A-Za-z]+", value), key=len)
            changed = lines.copy()
            at = changed[line - 1].index(word, column - 1)
            changed[line - 1] = changed[line - 1][:at] + "Elephant" + changed[line - 1][at + len(word) :]
            path.write_text("\n".join(changed), encoding="utf-8")
            errors = errors_of(tree)
            shown = f"facts/entities/{path.name}"
            assert [(p.file, p.line, p.column) for p in errors] == [(shown, line, column)], (shown, data_path)
            checked += 1
        path.write_text(original, encoding="utf-8")
    assert checked == 54  # 51 passages and 3 quotations


def _every_window(wanted: list[str], have: list[str]) -> int:
    """The best window by comparing every one word by word: what ``_best_window`` must find."""
    ratios = [
        difflib.SequenceMatcher(None, wanted, have[start : start + len(wanted)], autojunk=False).ratio()
        for start in range(max(1, len(have) - len(wanted) + 1))
    ]
    return ratios.index(max(ratios))


def test_the_closest_window_is_the_one_a_comparison_of_every_window_finds() -> None:
    chance = random.Random(7)
    for _ in range(2000):
        vocabulary = [f"w{n}" for n in range(chance.randint(2, 30))]
        have = [chance.choice(vocabulary) for _ in range(chance.randint(1, 60))]
        wanted = [chance.choice(vocabulary) for _ in range(chance.randint(1, 12))]
        assert _best_window(wanted, have) == _every_window(wanted, have), (wanted, have)


def test_a_long_wrong_passage_in_a_long_text_is_compared_with_few_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Comparing every window word by word cost (stored words) x (passage words): half a minute here, and
    hours for the longest texts the limits allow. Counted, not timed: how many comparisons are made."""
    chance = random.Random(3)
    common = ["the", "of", "Kosovo", "Serbia", "said", "bases", "army", "talks", "and", "in"]
    words = [chance.choice(common + [f"word{n}" for n in range(2000)]) for _ in range(20_000)]
    passage = " ".join(chance.choice(words) for _ in range(600))
    made: list[int] = []

    class Counted(difflib.SequenceMatcher):  # type: ignore[type-arg]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            made.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(near_miss.difflib, "SequenceMatcher", Counted)
    closest = closest_passage(fold(" ".join(words)), passage)
    assert closest is not None and closest.alike < ALIKE
    assert len(made) <= near_miss.WINDOWS_COMPARED + 2  # the windows compared, then the span and the marks


LAVROV = "facts/entities/sergei-lavrov.yaml"


def test_a_citation_can_only_relay_an_outlet_its_source_says_it_relays(tree: Path) -> None:
    """``via: [Reuters]`` is the article's word; ``via: [AP]`` is not, and is refused where it is written."""
    edit(tree, LAVROV, "        via: [Reuters]\n", "        via: [Reuters, AP]\n", count=6)
    problems = errors_of(tree)
    assert len(problems) == 6
    first = problems[0]
    lines = (tree / LAVROV).read_text().splitlines()
    line = lines.index("        via: [Reuters, AP]") + 1
    assert first.location() == f"{LAVROV}:{line}:{len('        via: [Reuters, ') + 1}"
    assert first.key_path == "facts[0].citations[0].via[1]"
    assert first.message == "source 'rksnews-2026-01-20-lavrov-balkans' does not say it relays 'AP'"
    assert first.hint == "name an outlet from its relays (Reuters)"


def test_a_citation_of_a_source_that_relays_nobody_cannot_name_an_outlet(tree: Path) -> None:
    old = 'passage: "citing the presence of 48 advanced operational bases along Kosovo’s borders"\n'
    edit(tree, KURTI, old, old + "        via: [Reuters]\n")
    edit(tree, RKSNEWS + ".yaml", "relays: [Reuters]\n", "")
    problems = errors_of(tree)
    assert len(problems) == 7  # and the six of Lavrov's remarks
    [problem] = [p for p in problems if p.file == KURTI]
    assert problem.message == "source 'rksnews-2026-01-20-lavrov-balkans' does not say it relays 'Reuters'"
    assert problem.hint == "add the outlet to the source's relays"


@pytest.mark.parametrize(
    ("group", "entity"),
    [
        ("Kosovo", "kosovo"),
        ("KOSOVO", "kosovo"),
        ("the Western Balkans", "western-balkans"),
        ("the EU", "european-union"),  # an alias, after "the"
        ("the Kremlin.", "russia"),  # and before a stop
        ("EU officials", None),
    ],
)
def test_a_group_that_is_an_entity_is_refused(tree: Path, group: str, entity: str | None) -> None:
    """ "According to Kosovo, among them Vjosa Osmani" would give the claim to Kosovo."""
    edit(tree, "facts/entities/vjosa-osmani.yaml", "among: senior officials in Kosovo", f"among: {group}")
    messages = [p.message for p in errors_of(tree)]
    if entity:
        assert f"the group '{group}' is the entity '{entity}', not a group its speaker is one of" in messages
    else:  # not an entity's name: only the passage check speaks
        assert messages == ["no passage this claim cites names the group 'EU officials'"]


def test_an_alias_that_names_another_entity_is_refused(tree: Path) -> None:
    """With Lavrov's name as Kurti's alias, a passage naming Lavrov would pass for Kurti's."""
    edit(tree, "facts/entities/albin-kurti.yaml", "aliases: [Kurti]", "aliases: [Kurti, lavrov, Sergei  Lavrov]")
    problems = errors_of(tree)
    assert [(p.file, p.key_path, p.message) for p in problems] == [
        (KURTI, "aliases[1]", "the alias 'lavrov' also names another entity: facts/entities/sergei-lavrov.yaml"),
        (
            KURTI,
            "aliases[2]",
            "the alias 'Sergei  Lavrov' also names another entity: facts/entities/sergei-lavrov.yaml",
        ),
        # and at the other end, since either file may be the one to mend
        (LAVROV, "name", "the name 'Sergei Lavrov' is another entity's alias too: facts/entities/albin-kurti.yaml"),
        (LAVROV, "aliases[0]", "the alias 'Lavrov' also names another entity: facts/entities/albin-kurti.yaml"),
    ]
    assert problems[0].hint == (
        "an alias names this entity alone: remove it, or write the name the source uses for this one"
    )


def test_a_name_that_is_another_entitys_alias_is_refused_at_both(tree: Path) -> None:
    edit(tree, "facts/entities/north-macedonia.yaml", "name: North Macedonia", "name: Lavrov")
    found = [(p.file, p.key_path, p.message) for p in errors_of(tree) if p.key_path in ("name", "aliases[0]")]
    assert found == [
        ("facts/entities/north-macedonia.yaml", "name", f"the name 'Lavrov' is another entity's alias too: {LAVROV}"),
        (LAVROV, "aliases[0]", "the alias 'Lavrov' also names another entity: facts/entities/north-macedonia.yaml"),
    ]


@pytest.mark.parametrize(
    "name", ["AIbin Kurti", "Albin Kurtı", "ALBIN KURTI", "A1bin Kurti", "Albín Kurti", "Älbin Kürti", "Ałbin Kurti"]
)
def test_a_name_that_reads_as_another_entitys_is_refused(tree: Path, name: str) -> None:
    """A capital I for a small l, a dotless ı, a digit one, an accent: a reader would take the page for Kurti's."""
    edit(tree, "facts/entities/north-macedonia.yaml", "name: North Macedonia", f"name: {name}")
    messages = [(p.file, p.message) for p in errors_of(tree) if p.key_path == "name"]
    assert ("facts/entities/north-macedonia.yaml", f"another entity has the name '{name}': {KURTI}") in messages


def test_a_group_claim_citing_no_stored_text_is_unverified_not_refused(tree: Path) -> None:
    """No passage can be quoted from a source without stored text, so none can show the group: the claim counts
    as unverified, as any claim that cites only such sources does, and reviewers read the group by eye."""
    passage = (
        '        passage: "senior officials in Kosovo, including President Vjosa Osmani, who have repeatedly cautioned '
        "about the risk of Russian influence in the Western Balkans, often describing Serbia as Russia’s extended "
        'arm in the region."\n'
    )
    edit(
        tree,
        "facts/entities/vjosa-osmani.yaml",
        "      - source: rksnews-2026-01-20-lavrov-balkans\n" + passage,
        "      - source: alfapress-2026-01-20-lavrov-balkans\n",
    )
    assert errors_of(tree) == []


def test_a_group_is_the_entity_whose_alias_has_the_too(tree: Path) -> None:
    edit(tree, "facts/entities/russia.yaml", "aliases: [Moscow, Kremlin]", "aliases: [Moscow, The Kremlin]")
    edit(tree, "facts/entities/vjosa-osmani.yaml", "among: senior officials in Kosovo", "among: Kremlin")
    messages = [p.message for p in errors_of(tree)]
    assert "the group 'Kremlin' is the entity 'russia', not a group its speaker is one of" in messages


@pytest.mark.parametrize(
    "copied", ["", "as it is", "with CRLF", "with a blank line"], ids=["same file", "a copy", "CRLF", "blank line"]
)
def test_two_sources_never_share_a_stored_text(tree: Path, copied: str) -> None:
    """A made-up source that names the article's text, or a copy of it, would have the article's words verified as
    its own, and count as a second verified source."""
    sources = tree / "facts" / "sources"
    text = (tree / f"{RKSNEWS}.yaml").read_text(encoding="utf-8")
    other = "reuters-2026-01-20-kurti-warns"
    text = re.sub(r"(?m)^url: .*$", f"url: https://www.reuters.com/world/{other}/", text)
    if copied:
        data = (tree / f"{RKSNEWS}.txt").read_bytes()
        data = data.replace(b"\n", b"\r\n") if copied == "with CRLF" else data
        data = data + b"\n\n" if copied == "with a blank line" else data
        (sources / f"{other}.txt").write_bytes(data)
        text = re.sub(r"(?m)^  sha256: .*$", f"  sha256: {hashlib.sha256(data).hexdigest()}", text)
        text = text.replace(f"file: {RKSNEWS.rpartition('/')[2]}.txt", f"file: {other}.txt")
    (sources / f"{other}.yaml").write_text(text.replace("publisher: RksNews", "publisher: Reuters"), encoding="utf-8")
    article = RKSNEWS.rpartition("/")[2]
    errors = errors_of(tree)
    assert [(p.file, p.key_path) for p in errors] == [
        (f"facts/sources/{other}.yaml", "snapshot"),
        (f"{RKSNEWS}.yaml", "snapshot"),
    ]
    assert errors[0].message == (
        f"this stored text is also the text of source '{article}'; two articles never print the same text, and "
        "neither could be checked against its own"
    )


def test_a_person_whose_file_fails_its_checks_is_no_unknown_person_elsewhere(tree: Path) -> None:
    """Putin's file has its own error; Kurti's fact that declares Putin's role must not get one for naming him."""
    edit(tree, "facts/entities/vladimir-putin.yaml", "type: person\n", 'type: person\nborn: "1952"\n')
    assert [(p.file, p.message) for p in errors_of(tree)] == [
        ("facts/entities/vladimir-putin.yaml", "unknown field 'born'")
    ]


def test_a_copied_source_with_its_own_text_but_the_old_hash_is_told_of_the_hash(tree: Path) -> None:
    """Copying a source file to start a new one keeps the old hash: the new text does not match it, which is the
    error, and the sources do not share a text."""
    sources = tree / "facts" / "sources"
    other = "wire-2026-01-20-y"
    (sources / f"{other}.txt").write_text("Another article altogether.\n", encoding="utf-8")
    text = (tree / f"{RKSNEWS}.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^url: .*$", f"url: https://wire.example/{other}", text)
    text = text.replace(f"file: {RKSNEWS.rpartition('/')[2]}.txt", f"file: {other}.txt")
    (sources / f"{other}.yaml").write_text(text, encoding="utf-8")
    errors = [(p.file, p.message) for p in errors_of(tree) if p.key_path.startswith("snapshot")]
    assert errors == [
        (
            f"facts/sources/{other}.yaml",
            f"snapshot '{other}.txt' does not match its recorded SHA-256: the text or the hash differs",
        )
    ]
