"""Scaffolding for contributors: a new source file, or a new fact appended to an entity file.

Skeletons are commented YAML with ``TODO`` placeholders that the schema rejects, so an untouched skeleton
fails validation and says which values are still missing. Facts are added by inserting text after the
entity's last fact, which keeps every comment and the file's layout; the result is parsed before it is written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2

from generator.chronology import SLACK, misleading_host, tracking_parameters, without_tracking
from generator.crosscheck import DUPLICATE_ID_HINT, SPEAKER_TYPES
from generator.existing import fact_files, fact_id_at, fresh_fact_id, named_by, recorded_as
from generator.fact_insert import insert_fact
from generator.filecheck import ID, RESERVED_IDS, reserved
from generator.languages import NAMES
from generator.lifecycle import calendar_today
from generator.loader import NOT_TEXT, NULLS, LoadError, load_file, parse_text
from generator.model import WRITTEN_DATE, calendar_problem, first_day_written
from generator.naming import date_from_url, slug, source_id
from generator.page_context import TEMPLATE_DIR
from generator.problems import ID_MAX, Problem, suggested_id
from generator.schema_check import PLACEHOLDER, date_hint
from generator.skeleton_check import refusal
from generator.writer import atomic_write

URL = re.compile(r"^https?://[^\s/?#<>\"'`]+(?:[/?#][^\s<>\"'`]*)?$")  # the schema's pattern
"""The same rule as the url definition in common.schema.json."""
FACT_KINDS = ("report", "claim", "quote")

LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
"""What source.schema.json accepts as a language: a BCP 47 code."""


class ScaffoldError(Exception):
    """A request the scaffolder cannot carry out; carries one Problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class Created:
    """What a scaffolding command did."""

    path: Path
    """The file written."""
    id: str
    """The id of the new source or fact."""
    line: int
    """1-based line where the new entry starts."""
    note: str = ""
    """Something the command changed in what it was given, to tell the contributor."""
    filled: bool = False
    """True if the command line gave every value, so the file has no TODO left: only values to check."""


def _yaml_string(value: str) -> str:
    """A double-quoted YAML scalar; JSON's string syntax is valid YAML."""
    return json.dumps(value, ensure_ascii=False)


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["yaml"] = _yaml_string
    # "2026" and "null" are ids, but a number and no value to YAML editors: quoted, as validate asks
    env.filters["id_or_placeholder"] = lambda value: (
        value if ID.fullmatch(value) and not NOT_TEXT.fullmatch(value) and value not in NULLS else _yaml_string(value)
    )
    return env


def _is_id(value: str) -> bool:
    """An id as the schemas write it: lowercase letters, digits and single hyphens, at most ID_MAX characters."""
    return len(value) <= ID_MAX and ID.fullmatch(value) is not None


def _bad_id(option: str, value: str) -> Problem:
    """An id that is not one, with the id it probably means ('Aleksandar Vucic': 'aleksandar-vucic')."""
    if len(value) > ID_MAX and option == "NAME":
        message = f"the id made from the name is {len(value)} characters long; the limit is {ID_MAX}"
        return Problem(option, 0, 0, message, hint="give a shorter one with --id")
    if len(value) > ID_MAX:  # in validate's words
        return Problem(option, 0, 0, f"value is {len(value)} characters long; the limit is {ID_MAX}")
    suggestion = suggested_id(value)
    message = f"expected an id of lowercase letters, digits and single hyphens; found '{value}'"
    if suggestion:
        return Problem(option, 0, 0, message, hint=f"did you mean '{suggestion}'?")
    # A name with no letter or digit to make an id of ("!!!"): the id must be given.
    return Problem(option, 0, 0, message, hint="give one with --id" if option == "NAME" else "")


def _check_date(value: str, option: str, today: dt.date) -> None:
    if not WRITTEN_DATE.fullmatch(value):
        message = f"expected a date written YYYY, YYYY-MM or YYYY-MM-DD; found '{value}'"
        raise ScaffoldError(Problem(option, 0, 0, message, hint=date_hint(value)))
    if problem := calendar_problem(value):
        raise ScaffoldError(Problem(option, 0, 0, problem))
    # What validate would refuse: nothing is published before it has happened.
    if first_day_written(value) - today > SLACK:
        raise ScaffoldError(Problem(option, 0, 0, f"the date {value} is after today, {today.isoformat()}"))


def _date_in_address(url: str, today: dt.date) -> str | None:
    """The date an address holds, if it could be the article's: an impossible or future one is a guess gone wrong,
    left for the contributor to fill in (``/2026/02/30/``, ``/2099/01/01/``)."""
    found = date_from_url(url)
    try:
        _check_date(found or "", "URL", today)
    except ScaffoldError:
        return None
    return found


def new_source(
    facts_dir: Path,
    url: str,
    *,
    publisher: str | None = None,
    date: str | None = None,
    title: str | None = None,
    language: str | None = None,
    today: dt.date | None = None,
) -> Created:
    """Write a commented source skeleton under facts/sources/, never overwriting a file."""
    if not URL.match(url):
        raise ScaffoldError(Problem("URL", 0, 0, f"expected an http:// or https:// address; found '{url}'"))
    if misled := misleading_host(url):  # what validate would refuse, before any file is written
        message, hint = misled[0]
        raise ScaffoldError(Problem("URL", 0, 0, message, hint=hint))
    # The day the contributor reads it, which also judges the future, as for validate: the calendar's.
    # SOURCE_DATE_EPOCH pins a build's dates, not the day someone read an article.
    today = today or calendar_today()
    if date:
        _check_date(date, "--date", today)
    if language:
        _check_language(language)
    # Who clicked, or from which campaign, is no part of the article's address.
    dropped, url = tracking_parameters(url), without_tracking(url)
    note = f"left out the address's tracking parameters: {', '.join(dropped)}" if dropped else ""
    folder = facts_dir / "sources"
    _refuse_recorded(folder, url)
    # The key each value given on the command line is written to, and the option that gave it.
    given = {"url": ("URL", url), "title": ("--title", title), "publisher": ("--publisher", publisher)}
    given |= {"language": ("--language", language), "published": ("--date", date)}
    options = {key: option for key, (option, value) in given.items() if value}
    date = date or _date_in_address(url, today)
    if date:
        options.setdefault("published", "URL")  # read from the address
    base = source_id(url, publisher, date)
    folder.mkdir(parents=True, exist_ok=True)
    context = {
        "url": url,
        "title": " ".join(title.split()) if title else "TODO the headline as published",
        "publisher": " ".join(publisher.split()) if publisher else "TODO the outlet that published it",
        "language": language or "TODO en, sq, sr ...",
        "published": date or "TODO YYYY-MM-DD",
        "accessed": today.isoformat(),
    }
    for number in range(1, 1000):
        candidate = base if number == 1 else f"{base}-{number}"
        path = folder / f"{candidate}.yaml"
        text = _templates().get_template("new_source.yaml.j2").render(id=candidate, **context)
        if problem := refusal(text, path, path.as_posix(), options):  # what validate would refuse
            raise ScaffoldError(problem)
        try:
            with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite a file
                handle.write(text)
        except FileExistsError:
            continue
        return Created(path, candidate, 1, note, filled=all((title, publisher, language, date)))
    raise ScaffoldError(Problem(folder.as_posix(), 0, 0, f"too many sources named '{base}'"))


ENTITY_TYPES = ("country", "territory", "region", "organisation", "person")


def new_entity(facts_dir: Path, name: str, entity_type: str, *, entity_id: str | None = None) -> Created:
    """Write a commented entity skeleton under facts/entities/, never overwriting a file."""
    name = " ".join(name.split())
    if not name:
        raise ScaffoldError(Problem("NAME", 0, 0, "expected the entity's name; found an empty one"))
    wanted = entity_id or slug(name, max_words=6)
    if not _is_id(wanted):
        option = "--id" if entity_id else "NAME"
        raise ScaffoldError(_bad_id(option, wanted))
    if wanted in RESERVED_IDS:
        option = "--id" if entity_id else "NAME"
        raise ScaffoldError(Problem(option, 0, 0, reserved(wanted), hint="choose another id with --id"))
    folder = facts_dir / "entities"
    _refuse_named(folder, name, wanted)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{wanted}.yaml"
    speaker = entity_type in SPEAKER_TYPES
    text = (
        _templates().get_template("new_entity.yaml.j2").render(id=wanted, name=name, type=entity_type, speaker=speaker)
    )
    if problem := refusal(text, path, path.as_posix(), {"name": "NAME"}):  # what validate would refuse
        raise ScaffoldError(problem)
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite a file
            handle.write(text)
    except FileExistsError:
        hint = f"add facts to it: python -m generator new fact {wanted}, or choose another id with --id"
        raise ScaffoldError(Problem(path.as_posix(), 0, 0, f"entity '{wanted}' already exists", hint=hint)) from None
    return Created(path, wanted, 1)


def _refuse_named(folder: Path, name: str, wanted: str) -> None:
    """Refuse a name another entity has, as validate tells names apart."""
    if found := named_by(folder, name, wanted):
        path, written = found
        message = f"entity '{path.stem}' already goes by the name '{written}' ({path.as_posix()})"
        hint = f"add facts to it: python -m generator new fact {path.stem}, or give the new entity another name"
        raise ScaffoldError(Problem("NAME", 0, 0, message, hint=hint))


def _check_language(language: str) -> None:
    if LANGUAGE.match(language):
        return
    codes = {name.lower(): code for code, name in NAMES.items()}
    written = language.strip().replace("_", "-")
    language_part, dash, rest = written.partition("-")
    lowered = language_part.lower() + dash + rest
    code = codes.get(written.lower()) or (lowered if LANGUAGE.match(lowered) else None)
    raise ScaffoldError(
        Problem(
            "--language",
            0,
            0,
            f"expected a BCP 47 language code such as en, sq or sr; found '{language}'",
            hint=f"did you mean '{code}'?" if code else "",
        )
    )


def _refuse_recorded(folder: Path, url: str) -> None:
    """Refuse an article some source file already records."""
    if path := recorded_as(folder, url):
        message = f"this article is already recorded as source '{path.stem}' ({path.as_posix()})"
        hint = f"cite it: python -m generator new fact ENTITY --source {path.stem}"
        raise ScaffoldError(Problem("URL", 0, 0, message, hint=hint))


def _load(path: Path, display: str) -> object:
    """A fact file's data; never through a symbolic link, which validate would not read either."""
    if path.is_symlink() or not path.is_file():
        message = "not a regular file (symbolic link or special file); not read"
        raise ScaffoldError(Problem(display, 0, 0, message, hint="replace the link with the file itself"))
    try:
        return load_file(path, display).data
    except LoadError as exc:
        raise ScaffoldError(exc.problem) from None


def _source_date(facts_dir: Path, source: str) -> tuple[str, bool, bool]:
    """The source's date of publication, whether it is estimated ("" if it has none yet), and whether its text
    is stored: a passage of a source whose text is not stored could not be checked, and is refused."""
    if len(source) > ID_MAX:  # longer than a file's name may be; any other slip is the written file's to show
        raise ScaffoldError(_bad_id("--source", source))
    path = facts_dir / "sources" / f"{source}.yaml"
    if not path.is_file():
        known = [p.stem for p in fact_files(facts_dir / "sources")]
        close = difflib.get_close_matches(source, known, n=1, cutoff=0.5)
        raise ScaffoldError(
            Problem("--source", 0, 0, f"unknown source '{source}'", hint=f"did you mean '{close[0]}'?" if close else "")
        )
    data = _load(path, path.as_posix())
    published = data.get("published") if isinstance(data, dict) else None
    value = published.get("value") if isinstance(published, dict) else published
    stored = isinstance(data, dict) and data.get("snapshot") is not None
    if not isinstance(value, str) or PLACEHOLDER.match(value):
        return "", False, stored
    return value, isinstance(published, dict) and published.get("certainty") == "estimated", stored


def render_fact(
    fact_id: str,
    kind: str,
    *,
    speaker: str = "",
    source: str = "",
    date: tuple[str, bool, bool] = ("", False, True),
    topics: tuple[str, ...] = (),
) -> str:
    """The commented skeleton of one fact, as a block-sequence item starting at column 0."""
    return (
        _templates()
        .get_template("new_fact.yaml.j2")
        .render(
            id=fact_id,
            kind=kind,
            speaker=speaker,
            source=source or "TODO",
            date=date[0] or "TODO YYYY-MM-DD",
            estimated=date[1],
            stored=date[2],
            topics=topics,
        )
    )


def new_fact(
    facts_dir: Path,
    entity_id: str,
    *,
    kind: str = "report",
    source: str | None = None,
    fact_id: str | None = None,
    display_root: Path | None = None,
) -> Created:
    """Append a commented fact skeleton to an entity's file, keeping its comments and layout."""
    file = Path(entity_id)  # the entity's file, as a shell completes it, names it too
    entity_id = file.stem if file.suffix == ".yaml" and file.parent.name in ("entities", "") else entity_id
    if not _is_id(entity_id):
        raise ScaffoldError(Problem("ENTITY", 0, 0, f"expected an entity id such as 'kosovo'; found '{entity_id}'"))
    path = facts_dir / "entities" / f"{entity_id}.yaml"
    shown = path.relative_to(display_root).as_posix() if display_root else path.as_posix()
    if not path.is_file():
        known = [p.stem for p in fact_files(facts_dir / "entities")]
        close = difflib.get_close_matches(entity_id, known, n=1, cutoff=0.5)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else "start its file: python -m generator new entity NAME --type TYPE"
        )
        raise ScaffoldError(Problem(shown, 0, 0, f"unknown entity '{entity_id}'", hint=hint))
    data = _load(path, shown)
    if fact_id is not None and not _is_id(fact_id):
        raise ScaffoldError(_bad_id("--id", fact_id))
    if fact_id is not None and (used := fact_id_at(facts_dir, fact_id)):
        where = used[0].relative_to(display_root) if display_root else used[0]
        message = f"fact id '{fact_id}' is already used at {where.as_posix()}:{used[1]}"
        raise ScaffoldError(Problem("--id", 0, 0, message, hint=DUPLICATE_ID_HINT))
    entity_type = data.get("type") if isinstance(data, dict) else None
    speaker = ""
    if kind in ("claim", "quote"):
        speaker = entity_id if entity_type in SPEAKER_TYPES else "TODO"
    topics_data = _load(facts_dir / "topics.yaml", "facts/topics.yaml") if (facts_dir / "topics.yaml").is_file() else {}
    new_id = fact_id or fresh_fact_id(facts_dir, entity_id)
    item = render_fact(
        new_id,
        kind,
        speaker=speaker,
        source=source or "",
        date=_source_date(facts_dir, source) if source else ("", False, True),
        topics=tuple(topics_data) if isinstance(topics_data, dict) else (),
    )
    raw = path.read_bytes().decode("utf-8", errors="replace")  # _load has read it as UTF-8 already
    crlf = "\n" in raw and raw.count("\r\n") == raw.count("\n")  # kept: a diff shows only the new fact
    text = raw.replace("\r\n", "\n") if crlf else raw
    try:
        updated, line = insert_fact(text, item)
    except ValueError as exc:
        raise ScaffoldError(Problem(shown, 0, 0, f"cannot add a fact: {exc}")) from None
    # What validate would refuse in the new fact; a value from the command line is named by its option.
    options = {"id": "--id" if fact_id else "ENTITY", "speaker": "ENTITY" if speaker == entity_id else ""}
    options["source"] = "--source" if source else ""
    if problem := refusal(updated, path, shown, options, range(line, line + item.count("\n"))):
        raise ScaffoldError(problem)
    # Never write a file the strict loader would refuse, or one that lost a fact.
    try:
        check = parse_text(updated, shown).data
    except LoadError:
        raise ScaffoldError(Problem(shown, 0, 0, "cannot add a fact here safely; add it by hand")) from None
    before = len(data.get("facts") or []) if isinstance(data, dict) else 0
    if len(check.get("facts", [])) != before + 1 or check["facts"][-1]["id"] != new_id:
        raise ScaffoldError(Problem(shown, 0, 0, "cannot add a fact here safely; add it by hand"))
    atomic_write(path, (updated.replace("\n", "\r\n") if crlf else updated).encode("utf-8"))
    return Created(path, new_id, line)
