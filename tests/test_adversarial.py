"""Hostile pull requests: every bad input fails with file:line:col, no traceback, and nothing written."""

from __future__ import annotations

import hashlib
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from tiny_corpus import FILES, build_project, cli_env, make_project, page_text, tree_digest

from generator import validate
from generator.loader import LoadError, load_file
from generator.validate import MAX_SNAPSHOT_BYTES, load_corpus

ALPHA = "entities/alpha-person.yaml"
BETA = "entities/beta-land.yaml"
BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def replace(name: str, old: str, new: str) -> tuple[str, str]:
    """A changed copy of one tiny-corpus file."""
    assert old in FILES[name]
    return name, FILES[name].replace(old, new, 1)


# (case id, file under facts/, its new content, expected "file:line:col: error: message")
CASES: list[tuple[str, str, str | bytes, str]] = [
    (
        "duplicate-key-top",
        *replace(BETA, "type: country\n", "type: country\nname: Other\n"),
        f"facts/{BETA}:3:1: error: duplicate key 'name'; it is already set at line 1",
    ),
    (
        "duplicate-key-deep",
        *replace(
            ALPHA,
            "      - source: src-one\n        passage",
            "      - source: src-one\n        source: x\n        passage",
        ),
        f"facts/{ALPHA}:19:9: error: duplicate key 'source'; it is already set at line 18",
    ),
    (
        "duplicate-key-nfc",
        "topics.yaml",
        FILES["topics.yaml"] + "caf\u00e9:\n  title: A\ncafe\u0301:\n  title: B\n",
        "facts/topics.yaml:8:1: error: duplicate key 'café' (equal after Unicode normalisation); "
        "it is already set at line 6",
    ),
    (
        "yaml11-boolean",
        *replace(BETA, "type: country", "type: yes"),
        f"facts/{BETA}:2:7: error: expected one of country, territory, region, organisation, person; found 'yes'",
    ),
    (
        "yaml11-date-unquoted-invalid",
        *replace(BETA, 'date: "2026-01"', "date: 2026-1-5"),
        f"facts/{BETA}:7:11: error: expected a date written YYYY, YYYY-MM or YYYY-MM-DD; found '2026-1-5'",
    ),
    (
        "yaml11-octal",
        *replace(BETA, "kind: report", "kind: 0755"),
        f"facts/{BETA}:5:11: error: expected one of report, claim, quote; found '0755'",
    ),
    (
        "anchor",
        *replace(BETA, "name: Beta Land", "name: &n Beta Land"),
        f"facts/{BETA}:1:7: error: anchor '&n' is not allowed; write the value out in full",
    ),
    (
        "alias",
        *replace(BETA, "type: country", "type: *n"),
        f"facts/{BETA}:2:7: error: alias '*n' is not allowed; write the value out in full",
    ),
    (
        "alias-bomb",
        BETA,
        BILLION_LAUGHS,
        f"facts/{BETA}:1:4: error: anchor '&a' is not allowed; write the value out in full",
    ),
    (
        "explicit-tag",
        *replace(BETA, "name: Beta Land", "name: !!str Beta Land"),
        f"facts/{BETA}:1:7: error: tag 'tag:yaml.org,2002:str' is not allowed; write a plain value",
    ),
    (
        "python-tag",
        *replace(BETA, "name: Beta Land", 'name: !!python/object/apply:os.system ["touch pwned"]'),
        f"facts/{BETA}:1:7: error: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; "
        "write a plain value",
    ),
    (
        "deep-nesting",
        BETA,
        "name: " + "[" * 100 + "]" * 100 + "\n",
        f"facts/{BETA}:1:30: error: nesting is deeper than 24 levels",
    ),
    (
        "very-deep-nesting",
        BETA,
        "name: " + "[" * 50000 + "]" * 50000 + "\n",
        f"facts/{BETA}:1:1006: error: YAML syntax: exceeded maximum nesting depth (while increasing flow level)",
    ),
    (
        "several-documents",
        BETA,
        FILES[BETA] + "---\nname: Other\n",
        f"facts/{BETA}:11:1: error: a second YAML document ('---') is not allowed; one file holds one document",
    ),
    (
        "tab",
        *replace(BETA, "name: Beta Land", "name:\tBeta Land"),
        f"facts/{BETA}:1:6: error: tab character; YAML files here use spaces only, never tabs",
    ),
    (
        "control-character",
        *replace(BETA, "A report about", "A \x07report about"),
        f"facts/{BETA}:6:13: error: control character U+0007 is not allowed",
    ),
    (
        "bidi-override",
        *replace(BETA, "A report about", "A \u202ereport about"),
        f"facts/{BETA}:6:13: error: invisible or bidirectional control character U+202E (RIGHT-TO-LEFT OVERRIDE) "
        "is not allowed",
    ),
    (
        "escaped-bidi-override",
        *replace(BETA, "text: A report about Beta Land.", 'text: "A \\u202Ereport"'),
        f"facts/{BETA}:6:11: error: invisible or bidirectional control character U+202E (RIGHT-TO-LEFT OVERRIDE) "
        "is not allowed, written here as an escape sequence",
    ),
    (
        "invalid-utf8",
        BETA,
        FILES[BETA].encode().replace(b"Beta Land", b"Beta \xff Land", 1),
        f"facts/{BETA}:1:12: error: invalid UTF-8 byte 0xff; save the file as UTF-8",
    ),
    (
        "bom",
        BETA,
        b"\xef\xbb\xbf" + FILES[BETA].encode(),
        f"facts/{BETA}:1:1: error: file starts with a byte order mark (BOM); save it as UTF-8 without BOM",
    ),
    ("empty-file", BETA, "", f"facts/{BETA}:1:1: error: file is empty; expected a YAML mapping"),
    (
        "huge-file",
        BETA,
        FILES[BETA] + "# " + "x" * (1024 * 1024) + "\n",
        f"facts/{BETA}:1:1: error: file is {len(FILES[BETA]) + 1024 * 1024 + 3} bytes; the limit is 1048576 bytes",
    ),
    (
        "reference-with-dot-dot-slash",
        *replace(ALPHA, "speaker: alpha-person", "speaker: ../../etc/passwd"),
        f"facts/{ALPHA}:12:14: error: expected an id of lowercase letters, digits and single hyphens, "
        "such as 'albin-kurti'; found '../../etc/passwd'",
    ),
    (
        "reference-with-slash",
        *replace(ALPHA, "topics: [diplomacy]", "topics: [a/b]"),
        f"facts/{ALPHA}:15:14: error: expected an id of lowercase letters, digits and single hyphens, "
        "such as 'albin-kurti'; found 'a/b'",
    ),
    (
        "reference-with-nul",
        *replace(ALPHA, "      - source: src-one\n        passage", '      - source: "src\\0one"\n        passage'),
        f"facts/{ALPHA}:18:17: error: control character U+0000 is not allowed, written here as an escape sequence",
    ),
    (
        "file-name-not-an-id",
        "entities/beta..land.yaml",
        FILES[BETA],
        "facts/entities/beta..land.yaml:1:1: error: file name 'beta..land' is not a valid id; "
        "use lowercase letters, digits and single hyphens",
    ),
    (
        "file-name-percent-slash",
        "entities/%2e%2e%2fetc.yaml",
        FILES[BETA],
        "facts/entities/%2e%2e%2fetc.yaml:1:1: error: file name '%2e%2e%2fetc' is not a valid id; "
        "use lowercase letters, digits and single hyphens",
    ),
    (
        "file-name-of-an-index-page",
        "entities/index.yaml",
        FILES[BETA],
        "facts/entities/index.yaml:1:1: error: 'index' cannot be an id: "
        "the index page of a section of the site has that name",
    ),
    (
        "unknown-field",
        *replace(BETA, "type: country\n", "type: country\ncolour: red\n"),
        f"facts/{BETA}:3:1: error: unknown field 'colour'",
    ),
    (
        "missing-field",
        *replace(BETA, "type: country\n", ""),
        f"facts/{BETA}:1:1: error: missing required field 'type'",
    ),
    (
        "javascript-url",
        *replace("sources/src-one.yaml", "url: https://example.org/report", "url: javascript:alert(1)"),
        "facts/sources/src-one.yaml:3:6: error: expected an http:// or https:// address; found 'javascript:alert(1)'",
    ),
    (
        "data-url",
        *replace("sources/src-one.yaml", "url: https://example.org/report", 'url: "data:text/html,<script>x</script>"'),
        "facts/sources/src-one.yaml:3:6: error: expected an http:// or https:// address; "
        "found 'data:text/html,<script>x</script>'",
    ),
    (
        "url-breaking-out",
        *replace("sources/src-one.yaml", "url: https://example.org/report", 'url: "https://x.org/\\"onclick=x"'),
        "facts/sources/src-one.yaml:3:6: error: expected an http:// or https:// address; "
        "found 'https://x.org/\"onclick=x'",
    ),
    (
        "invisible-text",  # a statement that prints no words
        *replace(BETA, "text: A report about Beta Land.", 'text: "\\u200d"'),
        f"facts/{BETA}:6:11: error: expected plain text; found '\u200d'",
    ),
    (
        "blank-text",
        *replace(BETA, "text: A report about Beta Land.", 'text: "   "'),
        f"facts/{BETA}:6:11: error: expected plain text; found '   '",
    ),
    (
        "script-in-name",
        *replace(BETA, "name: Beta Land", 'name: "<script>alert(1)</script>"'),
        f"facts/{BETA}:1:7: error: expected a plain name: not blank, on one line, and without "
        '< > { } [ ] | * _ # ` \\ " & ! $ ^ ~ = + : ; @ % ?; '
        "found '<script>alert(1)</script>'",
    ),
    (
        "invisible-name",  # joiners alone print nothing, as spaces do
        *replace(BETA, "name: Beta Land", 'name: "\\u200c\\u200d"'),
        f"facts/{BETA}:1:7: error: expected a plain name: not blank, on one line, and without "
        '< > { } [ ] | * _ # ` \\ " & ! $ ^ ~ = + : ; @ % ?; '
        "found '\u200c\u200d'",
    ),
    (
        "blank-name",  # a speaker with no name: "According to , Moscow is …" reads as fact
        *replace(BETA, "name: Beta Land", 'name: "  "'),
        f"facts/{BETA}:1:7: error: expected a plain name: not blank, on one line, and without "
        '< > { } [ ] | * _ # ` \\ " & ! $ ^ ~ = + : ; @ % ?; '
        "found '  '",
    ),
]


@pytest.fixture(scope="module")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny corpus, generated and built once: every case starts from a copy of it."""
    root = make_project(tmp_path_factory.mktemp("adversarial") / "project")
    build_project(root)
    return root


@pytest.mark.parametrize(("name", "content", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_input_is_rejected_and_nothing_is_written(
    built_template: Path, tmp_path: Path, name: str, content: str | bytes, expected: str
) -> None:
    root = tmp_path / "project"
    shutil.copytree(built_template, root, symlinks=True)
    path = root / "facts" / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    before = (tree_digest(root / "content"), tree_digest(root / "site"))
    names = sorted(p.name for p in root.iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=root, env=cli_env(), capture_output=True, text=True
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    # A schema problem ends with its key path, e.g. " [facts[0].kind]".
    assert any(line == expected or line.startswith(expected + " [") for line in lines), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert (tree_digest(root / "content"), tree_digest(root / "site")) == before
    assert not (root / "pwned").exists()
    assert sorted(p.name for p in root.iterdir()) == names


def test_symlink_in_facts_is_not_followed(built_template: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(built_template, root, symlinks=True)
    (root / "facts" / "entities" / "secret.yaml").symlink_to("/etc/passwd")
    before = tree_digest(root / "site")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=root, env=cli_env(), capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "facts/entities/secret.yaml: error: not a regular file (symbolic link or special file); not read"
    )
    assert result.stderr.splitlines()[1] == (
        "  hint: put the file itself here: a link is never followed, since it could point anywhere"
    )
    assert "root:" not in result.stderr
    assert tree_digest(root / "site") == before


@pytest.mark.parametrize("command", [("build",), ("new", "entity", "Some One", "--type", "person")])
def test_a_facts_folder_that_is_a_symlink_is_not_followed(
    built_template: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """A pull request can make facts/ itself a link to any folder of the machine that checks it."""
    root = tmp_path / "project"
    shutil.copytree(built_template, root, symlinks=True)
    outside = tmp_path / "outside"
    (root / "facts").rename(outside)
    (outside / "entities" / "secret.yaml").write_text("token: not-for-the-log\n", encoding="utf-8")
    (root / "facts").symlink_to(outside, target_is_directory=True)
    before = tree_digest(outside), tree_digest(root / "site")
    result = subprocess.run(
        [sys.executable, "-m", "generator", *command], cwd=root, env=cli_env(), capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "facts: error: the folder is a symbolic link, which the generator never follows",
        "  hint: make it a folder of the project itself",
    ]
    assert "not-for-the-log" not in result.stdout + result.stderr
    assert (tree_digest(outside), tree_digest(root / "site")) == before


@pytest.mark.parametrize(
    "command",
    [
        ("new", "entity", "Some One", "--type", "person"),
        ("new", "fact", "alpha-person"),
        ("new", "source", "https://example.org/2026/01/20/another-report"),
    ],
)
def test_new_writes_nothing_through_a_folder_of_facts_that_is_a_symlink(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    root = make_project(tmp_path / "project", dict(FILES))
    outside = tmp_path / "outside"
    outside.mkdir()
    for kind in ("entities", "sources"):
        (root / "facts" / kind).rename(outside / kind)
        (root / "facts" / kind).symlink_to(outside / kind, target_is_directory=True)
    before = tree_digest(outside)
    result = subprocess.run(
        [sys.executable, "-m", "generator", *command], cwd=root, env=cli_env(), capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "facts/sources: error: the folder is a symbolic link, which the generator never follows"
    )
    assert tree_digest(outside) == before


def test_alias_bomb_is_rejected_at_the_first_anchor_with_little_memory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(LoadError) as caught:
        load_file(path, "bomb.yaml")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert (caught.value.problem.line, caught.value.problem.column) == (1, 4)
    assert caught.value.problem.message == "anchor '&a' is not allowed; write the value out in full"
    # Expanded, the bomb is 9**9 (387 million) strings; rejected at the first anchor it costs kilobytes.
    assert peak < 1024 * 1024, f"peak {peak} bytes"
    print(
        f"alias bomb rejected in {elapsed * 1000:.2f} ms, peak {peak} bytes traced, "
        f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KiB"
    )


def test_yaml11_scalars_stay_the_strings_that_were_written(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(FILES)
    files[BETA] = (
        FILES[BETA]
        .replace("name: Beta Land", "name: no")
        .replace("text: A report about Beta Land.", "text: 0755 on yes at 12:30")
        .replace('date: "2026-01"', "date: 2026-01-05")
    )
    make_project(tmp_path / "p", files)
    corpus, problems = load_corpus(tmp_path / "p" / "facts", tmp_path / "p")
    assert problems == [] and corpus is not None
    beta = next(e for e in corpus.entities if e.id == "beta-land")
    fact = next(f for f in corpus.facts if f.id == "beta-report")
    assert (beta.name, fact.text, fact.date.value) == ("no", "0755 on yes at 12:30", "2026-01-05")


PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '{: onclick="x" }',
    "!!! note",
    '--8<-- "README.md"',
    "{++x++}",
    "$$x$$",
    "| a | b |",
    "# heading",
    "* list",
    "```",
    "- item",
    "1. item",
    "\\(x\\) &lt;b&gt; ==mark== ~~del~~ ^^ins^^ [^1] <!-- c -->",
)

# Every text field of every file type: (file, the line to replace, a template for the new line).
FIELDS = (
    ("topics.yaml", "  title: Diplomacy", "  title: {}"),
    ("topics.yaml", "  description: Diplomatic contacts.", "  description: {}"),
    ("sources/src-one.yaml", "title: A report", "title: {}"),
    ("sources/src-one.yaml", "publisher: Example News", "publisher: {}"),
    ("sources/src-one.yaml", "language: en", "language: en\nbyline: {}"),
    ("sources/src-one.yaml", "language: en", "language: en\nrelays: [{}]"),
    ("sources/src-one.yaml", "language: en", "language: en\ncarried_by: {}"),
    ("sources/src-one.yaml", "language: en", "language: en\nnote: {}"),
    ("sources/src-one.yaml", 'published: "2026-01-20"', 'published:\n  value: "2026-01-20"\n  note: {}'),
    ("sources/src-one.yaml", 'accessed: "2026-01-21"', 'accessed:\n  value: "2026-01-21"\n  note: {}'),
    (ALPHA, "name: Alpha Person", "name: {}"),
    (ALPHA, "type: person", "type: person\naliases: [{}]"),
    (ALPHA, "  - title: Minister", "  - title: {}"),
    (ALPHA, "    text: Something happened.", "    text: {}"),
    (ALPHA, '    date: "2026-01-20"', '    date:\n      value: "2026-01-20"\n      note: {}'),
    (ALPHA, "    kind: claim", "    kind: claim\n    key: {}"),
    (ALPHA, "        passage: said a passage", "        passage: {}"),
    ("policies/beta-policy.yaml", "title: Beta policy", "title: {}"),
    ("policies/beta-policy.yaml", "summary: What Beta Land does.", "summary: {}"),
)


def _quoted(payload: str) -> str:
    return '"' + payload.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.mark.parametrize("field", FIELDS, ids=[f"{f[0]}:{f[2].strip().split(':')[0]}" for f in FIELDS])
def test_payload_in_every_text_field_is_rejected_with_a_position_or_accepted(tmp_path: Path, field: tuple) -> None:
    name, old, template = field
    accepted = []
    for number, payload in enumerate(PAYLOADS):
        files: dict[str, str | bytes] = dict(FILES)
        files[name] = FILES[name].replace(old, template.format(_quoted(payload)), 1)
        root = make_project(tmp_path / str(number), files)
        corpus, problems = load_corpus(root / "facts", root)
        if corpus is None:
            own = [p for p in problems if p.file == f"facts/{name}"]
            assert own and all(p.line >= 1 and p.column >= 1 for p in own), problems
        else:
            accepted.append(payload)
    free_text = any(word in template for word in ("description", "note", "text", "passage", "summary"))
    free_text = free_text or name == "sources/src-one.yaml" and template == "title: {}"
    # A name may start with "- " or "1. "; markdown_text escapes both (see test_escape).
    assert free_text or set(accepted) <= {"- item", "1. item"}, f"a name field accepted {accepted}"


def _payload_corpus(values: list[str]) -> dict[str, str | bytes]:
    """The tiny corpus with one policy, one source and one fact per value, each value in every free-text field.

    Each source stores a text of its value alone, so that the value can be the passage a footnote quotes: a
    passage of a source without stored text is refused."""
    files: dict[str, str | bytes] = dict(FILES)
    facts = []
    for i, value in enumerate(values):
        quoted = _quoted(value)
        stored = f"{value}\n".encode()
        files[f"sources/src-{i}.txt"] = stored
        files[f"sources/src-{i}.yaml"] = (
            f"title: {quoted}\npublisher: Example News\nurl: https://example.org/{i}\nlanguage: en\n"
            f'published:\n  value: "2026-01-20"\n  note: {quoted}\naccessed:\n  value: "2026-01-21"\n  note: {quoted}\n'
            f"note: {quoted}\n"
            f"snapshot:\n  file: src-{i}.txt\n  sha256: {hashlib.sha256(stored).hexdigest()}\n"
        )
        files[f"policies/policy-{i}.yaml"] = f"title: Policy {i}\nsummary: {quoted}\nactors: [beta-land]\n"
        facts.append(
            f"  - id: fact-{i}\n    kind: report\n    text: {quoted}\n"
            f'    date:\n      value: "2026-01"\n      note: {quoted}\n'
            f"    topics: [security]\n    citations:\n      - source: src-{i}\n        passage: {quoted}\n"
        )
    files[BETA] = FILES[BETA] + "".join(facts)
    files["topics.yaml"] = FILES["topics.yaml"].replace("Diplomatic contacts.", _quoted(values[0]))
    return files


def test_accepted_payloads_render_as_visible_text_and_add_no_element(tmp_path: Path) -> None:
    def build(root: Path, values: list[str]) -> Path:
        make_project(root, _payload_corpus(values))
        result = subprocess.run(
            [sys.executable, "-m", "generator", "build"], cwd=root, env=cli_env(), capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return root / "site"

    hostile = build(tmp_path / "hostile", list(PAYLOADS))
    plain = build(tmp_path / "plain", [f"plain words {i}" for i in range(len(PAYLOADS))])
    pages = sorted(p.relative_to(hostile) for p in hostile.rglob("*.html"))
    assert pages == sorted(p.relative_to(plain) for p in plain.rglob("*.html"))
    for page in pages:
        assert page_text(hostile / page).shape == page_text(plain / page).shape, f"markup changed on {page}"
    for i, payload in enumerate(PAYLOADS):
        shown = " ".join(payload.split())
        source = page_text(hostile / f"sources/src-{i}/index.html").text
        assert source.count(shown) >= 5, (payload, source)  # title, published and accessed notes, note, fact text
        policy = page_text(hostile / f"policy/policy-{i}/index.html").text
        assert shown in policy
        beta = page_text(hostile / "countries/beta-land/index.html").text
        assert beta.count(shown) >= 2  # fact text and the passage in its footnote
        assert f"About the date: {shown}" in beta  # the note on the fact's date


def test_a_very_long_bad_address_is_refused_without_backtracking(tmp_path: Path) -> None:
    """The address pattern has one way to match each character, so a failing match costs one pass.

    Two overlapping repeated classes made a long address that fails at its last character cost
    the square of its length: hours for one value near the file size limit. The timeout is no
    measure of speed, only a bound on that.
    """
    url = "https://" + "a" * 300_000 + "<"
    files = dict(FILES) | dict([replace("sources/src-one.yaml", "https://example.org/report", url)])
    root = make_project(tmp_path / "project", files)
    command = [sys.executable, "-m", "generator", "validate"]
    result = subprocess.run(command, cwd=root, env=cli_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "facts/sources/src-one.yaml:3:6: error: expected an http:// or https:// address" in result.stderr


@pytest.mark.parametrize("refusal", ["link", "size", "encoding", "control"])
def test_a_stored_text_that_is_refused_is_reported_once_not_also_as_missing(tmp_path: Path, refusal: str) -> None:
    """A link to a text elsewhere, a text above the size limit, or one that is not UTF-8, is there: its source is
    not told it is missing."""
    root = make_project(tmp_path / "project", dict(FILES))
    stored = root / "facts" / "sources" / "src-one.txt"
    if refusal == "link":
        target = tmp_path / "elsewhere.txt"
        stored.rename(target)
        stored.symlink_to(target)
        expected = "not a regular file (symbolic link or special file); not read"
    elif refusal == "size":
        stored.write_bytes(stored.read_bytes() + b" " * MAX_SNAPSHOT_BYTES)
        expected = f"stored text is larger than {MAX_SNAPSHOT_BYTES} bytes"
    elif refusal == "encoding":  # saved in a Windows code page: "č" is the byte 0xe8
        stored.write_bytes(b"First line.\nVu\xe8i\xe6 said so.\n")
        expected = "invalid UTF-8 byte 0xe8; save the file as UTF-8"
    else:  # the curly quotes of a Windows code page, read as Latin-1 and saved as UTF-8
        stored.write_text("First line.\nHe said \x93so\x94.\n", encoding="utf-8")
        expected = "stored text holds the control character U+0093, which no published text does"
    problems = load_corpus(root / "facts", root)[1]
    assert [(p.file, p.message) for p in problems] == [("facts/sources/src-one.txt", expected)]
    if refusal in ("encoding", "control"):
        assert (problems[0].line, problems[0].column) == (2, 3 if refusal == "encoding" else 9)


def test_stored_texts_beyond_their_total_size_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each text may be as large as MAX_SNAPSHOT_BYTES, but their number is not bounded: their total is."""
    root = make_project(tmp_path / "project", dict(FILES))
    size = (root / "facts" / "sources" / "src-one.txt").stat().st_size
    monkeypatch.setattr(validate, "MAX_STORED_BYTES", size - 1)
    problems = load_corpus(root / "facts", root)[1]
    message = f"the stored texts come to more than {size - 1} bytes with this one; not read"
    assert [(p.file, p.message) for p in problems] == [("facts/sources/src-one.txt", message)]
    monkeypatch.setattr(validate, "MAX_STORED_BYTES", size)
    assert load_corpus(root / "facts", root)[1] == []


NESTED = "[" * 100_000
"""JSON or YAML nested far deeper than Python's parsers recurse: they raise RecursionError, not a syntax error."""


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("content/.generated.json", ("generate",)),  # the manifest of generated files
        (".generator-stamp.json", ("generate",)),  # the record of the last clean run
        ("content/facts.json", ("page-changes", "content", "content")),  # the open data that page-changes compares
    ],
)
def test_a_file_of_the_generators_nested_past_the_parsers_depth_is_read_as_none(
    tmp_path: Path, name: str, command: tuple[str, ...]
) -> None:
    """A pull request can commit these files: nested too deep, each is one the generator did not write."""
    root = make_project(tmp_path / "project", dict(FILES))
    subprocess.run([sys.executable, "-m", "generator", "generate"], cwd=root, env=cli_env(), check=True)
    (root / name).write_text(NESTED, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "generator", *command], cwd=root, env=cli_env(), capture_output=True, text=True
    )
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert result.returncode in (0, 1), result.stderr


def test_aliases_nested_past_the_parsers_depth_do_not_stop_new(tmp_path: Path) -> None:
    """``new entity`` reads other files' aliases as text; validate reports the nesting, at its line."""
    root = make_project(tmp_path / "project", dict(FILES))
    with (root / "facts/entities/alpha-person.yaml").open("a", encoding="utf-8") as stream:
        stream.write("aliases: " + "[" * 5_000 + "]" * 5_000 + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "new", "entity", "Some One", "--type", "person"],
        cwd=root,
        env=cli_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (root / "facts/entities/some-one.yaml").is_file()


def test_a_stored_text_that_holds_a_passage_millions_of_times_is_refused_in_bounded_time(tmp_path: Path) -> None:
    """In "xaxaxa…", the passage "xa" stands at every other character, each time inside a word: each citation took
    more than a second of looking at places, and a fact file of such citations hours. The timeout is no measure of
    speed, only a bound."""
    stored = b"xa" * 4_000_000
    files: dict[str, str | bytes] = dict(FILES)
    files["sources/src-long.txt"] = stored
    files["sources/src-long.yaml"] = (
        'title: Long\npublisher: Example News\nurl: https://example.org/long\nlanguage: en\npublished: "2026-01-20"\n'
        f'accessed: "2026-01-21"\nsnapshot:\n  file: src-long.txt\n  sha256: {hashlib.sha256(stored).hexdigest()}\n'
    )
    # Read before the long text is: a passage its source does not hold, which the stopped check still reports.
    files[ALPHA] = FILES[ALPHA].replace("passage: said a passage", "passage: said no such passage")
    files[BETA] = FILES[BETA] + "".join(
        f'  - id: long-{i}\n    kind: report\n    text: Words {i}.\n    date: "2026-01"\n    topics: [security]\n'
        f"    citations:\n      - source: src-long\n        passage: xa{'xa' * (i % 3)}\n"
        for i in range(20)
    )
    root = make_project(tmp_path / "project", files)
    command = [sys.executable, "-m", "generator", "validate"]
    result = subprocess.run(command, cwd=root, env=cli_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert (
        "facts/sources/src-long.txt:1:1: error: the checks of passages and quotations stopped in this stored text: "
        "their words stand at too many places in the stored texts to check them all\n"
    ) in result.stderr
    assert f"facts/{ALPHA}:19:18: error: passage not found in the stored text of 'src-one'" in result.stderr
    assert "Traceback" not in result.stderr
