"""Command line: parses arguments and calls one pipeline function per command."""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from generator import build as pipeline
from generator import progress, scaffold
from generator.characters import printable
from generator.filecheck import SCHEMA_OF_FOLDER
from generator.model import WRITTEN_DATE, calendar_problem
from generator.problems import exit_code, format_github, format_text, inert, sort_problems, summary
from generator.report import build_report, format_report
from generator.validate import linked_facts

FORMATS = click.Choice(["text", "github"])
FILL_IN = "fill in every TODO, then run python -m generator validate"
CHECK = "check each value against the article, then run python -m generator validate"


VERBOSE_HELP = "Show a traceback when the generator itself fails."


def _root_option(func: Callable[..., None]) -> Callable[..., None]:
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="Project folder holding facts/, content/ and mkdocs.yml.",
    )(func)


class _Day(click.DateTime):
    """A day written YYYY-MM-DD, refused with an example rather than a strptime format."""

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d"])

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            if WRITTEN_DATE.fullmatch(str(value)) and str(value).count("-") == 2:
                self.fail(calendar_problem(str(value)), param, ctx)
            self.fail(f"expected a day written YYYY-MM-DD, such as 2026-01-20; found '{value}'", param, ctx)


def _report_options(func: Callable[..., None]) -> Callable[..., None]:
    func = click.option("--strict", is_flag=True, help="Treat warnings as errors.")(func)
    func = click.option(
        "--today",
        type=_Day(),
        default=None,
        metavar="YYYY-MM-DD",
        help="Judge review dates, and which dates are still to come, as of this day; default: "
        "SOURCE_DATE_EPOCH for review dates, else the current date.",
    )(func)
    func = click.option(
        "--format",
        "output_format",
        type=FORMATS,
        default="text",
        show_default=True,
        help="'github' prints GitHub Actions annotations.",
    )(func)
    return func


def finish(outcome: pipeline.Outcome, root: Path, *, strict: bool, output_format: str) -> None:
    """Print every problem and exit with the right code; the one place that does so."""
    problems = sort_problems(outcome.problems)
    for problem in problems:
        if output_format == "github":
            click.echo(format_github(problem))
        click.echo(format_text(problem, root), err=True)
    code = exit_code(problems, strict=strict)
    if problems:
        click.echo(summary(problems), err=True)
    if code and strict and not any(p.severity == "error" for p in problems):
        click.echo("--strict refuses warnings: mend them, or run without --strict", err=True)
    sys.exit(code)


def _project(root: Path, today: dt.datetime | None, strict: bool = False) -> pipeline.Project:
    return pipeline.Project(root, today.date() if today else None, strict)


def _say(message: str) -> None:
    progress.finish()
    click.echo(inert(message), err=True)  # stage lines carry MkDocs' and the post-build check's words


def _verbose() -> click.Option:
    """``--verbose`` on every command, so that each ``--help`` lists it; ``main`` reads it wherever it is written."""
    return click.Option(["--verbose"], is_flag=True, expose_value=False, help=VERBOSE_HELP)


class _Command(click.Command):
    """A command of the program: it takes ``--verbose``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(_verbose())


class _Commands(click.Group):
    """The program's commands, and a group of them (``new``): each takes ``--verbose``, and Ctrl+C in any of them says
    "interrupted" and exits with 130, as shells expect, where click would print "Aborted!" and exit with 1."""

    command_class = _Command
    group_class = type  # a group within the program is one of these too

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(_verbose())

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Validate the YAML facts and build the fact-sheet site."""
    progress.enable(sys.stderr)  # long stages show a counter; short ones print nothing extra


@cli.command(short_help="Check every file under facts/.")
@_root_option
@_report_options
def validate(root: Path, strict: bool, output_format: str, today: dt.datetime | None) -> None:
    """Check every file under facts/ and report all problems as file:line:col."""
    outcome = pipeline.validate(_project(root, today), _say)
    finish(outcome, root, strict=strict, output_format=output_format)


@cli.command(short_help="Validate, then write the pages into content/.")
@_root_option
@_report_options
def generate(root: Path, strict: bool, output_format: str, today: dt.datetime | None) -> None:
    """Validate, then write the generated Markdown pages into content/."""
    outcome = pipeline.generate(_project(root, today, strict), _say)
    finish(outcome, root, strict=strict, output_format=output_format)


@cli.command(short_help="Validate, generate, build site/ and the zip.")
@_root_option
@_report_options
@click.option("--no-bundle", is_flag=True, help="Skip the offline bundle in dist/.")
def build(root: Path, strict: bool, output_format: str, today: dt.datetime | None, no_bundle: bool) -> None:
    """Validate, generate, build site/ with mkdocs build --strict, and zip the offline bundle into dist/."""
    outcome = pipeline.build(_project(root, today, strict), _say, bundle=not no_bundle)
    finish(outcome, root, strict=strict, output_format=output_format)


@cli.command(short_help="Print the sourcing figures.")
@_root_option
@_report_options
def report(root: Path, strict: bool, output_format: str, today: dt.datetime | None) -> None:
    """Validate, then print the sourcing figures: citations, verified passages, single-source, twice-verified and
    stale facts."""
    outcome = pipeline.validate(_project(root, today), _say)
    if outcome.corpus is not None:
        click.echo(inert(format_report(build_report(outcome.corpus))), nl=False)
    finish(outcome, root, strict=strict, output_format=output_format)


def _address(_context: click.Context, _option: click.Parameter, value: str) -> str:
    """A malformed address is a mistake in the command line (status 2); a busy one is found later (status 1)."""
    from generator.preview import malformed_address

    problem = malformed_address(value)
    if problem:
        raise click.BadParameter(problem)
    return value


@cli.command(short_help="Preview the site, rebuilt on every save.")
@_root_option
@click.option(
    "-a",
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    callback=_address,
    help="IP address and port to serve the preview on.",
)
def serve(root: Path, dev_addr: str) -> None:
    """Preview the site with live reload; saving a file under facts/ regenerates its pages."""
    from generator import preview  # watchdog is needed only here

    sys.exit(preview.serve(pipeline.Project(root), dev_addr, _say))


@cli.command("page-changes", short_help="List the generated pages two content/ folders differ in.")
@click.argument("base", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("head", type=click.Path(exists=True, file_okay=False, path_type=Path))
def page_changes(base: Path, head: Path) -> None:
    """Print, as Markdown, which generated pages differ between two content/ folders (BASE, HEAD), which
    fact ids are gone, and which stored texts changed."""
    from generator import page_changes as pages

    click.echo(inert(pages.summary_markdown(pages.compare(base, head))), nl=False)


def _refused(exc: OSError) -> str:
    """One line, with a hint, for a file or folder the system would not let the generator read or write."""
    where = exc.filename if isinstance(exc.filename, str) else ""
    if where:
        try:
            where = Path(where).absolute().relative_to(Path.cwd()).as_posix()
        except ValueError:
            pass
    reason = exc.strerror or str(exc)
    hint = "check that the folder can be written and the disk has room, then run the command again"
    return printable(f"{where + ': ' if where else ''}error: {reason}") + f"\n  hint: {hint}"


def main(argv: list[str] | None = None) -> None:
    """Run the command line; never show a traceback unless --verbose is given."""
    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=args, prog_name="python -m generator", standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:  # before a command started: while click read the command line
        click.echo("interrupted", err=True)
        sys.exit(130)
    except OSError as exc:  # the machine refused: a read-only or full disk, a permission; not a bug
        if "--verbose" in args:
            traceback.print_exc()
        click.echo(inert(_refused(exc)), err=True)
        sys.exit(1)
    except Exception as exc:  # a bug in the generator, not bad input
        if "--verbose" in args:
            traceback.print_exc()
        else:
            message = printable(f"internal error: {type(exc).__name__}: {exc}")
            click.echo(inert(f"{message} (run with --verbose for a traceback)"), err=True)
        sys.exit(2)


@cli.group(short_help="Start a source, entity or fact from a skeleton.")
def new() -> None:
    """Start a new source, entity or fact from a commented skeleton to fill in."""


def _scaffold(make: Callable[[], scaffold.Created], root: Path, done: str, then: str = FILL_IN) -> None:
    """Run one scaffolding step; print the new id on stdout, and what to do next (or why not) on stderr."""
    try:
        facts = pipeline.Project(root).facts
        for folder in (facts, *(facts / kind for kind in SCHEMA_OF_FOLDER)):
            if (linked := linked_facts(folder, root)) is not None:  # writing through it would write elsewhere
                raise scaffold.ScaffoldError(linked)
        created = make()
    except scaffold.ScaffoldError as error:
        problem = error.problem
        if problem.line:
            click.echo(format_text(problem, root), err=True)
        else:  # a command-line value, or a file that does not exist: no line to show
            click.echo(inert(printable(f"{problem.file}: error: {problem.message}")), err=True)
            if problem.hint:
                click.echo(inert(printable(f"  hint: {problem.hint}")), err=True)
        sys.exit(1)
    click.echo(created.id)
    if created.note:
        _say(created.note)
    shown = created.path.relative_to(root).as_posix()
    where = shown if created.line == 1 else f"{shown}:{created.line}"
    if then == FILL_IN and created.filled:
        then = CHECK
    _say(done.format(id=created.id, where=where) + ": " + then.format(id=created.id))


@new.command("source", short_help="Write facts/sources/<id>.yaml for an article.")
@click.argument("url")
@_root_option
@click.option(
    "--publisher", help="The outlet, as it names itself (without it, the id starts with the address's host name)."
)
@click.option("--date", help="Publication date, YYYY-MM-DD, YYYY-MM or YYYY (default: from the address).")
@click.option("--title", help="The headline as published.")
@click.option("--language", help="BCP 47 language code of the article, such as en, sq or sr.")
def new_source(
    url: str, root: Path, publisher: str | None, date: str | None, title: str | None, language: str | None
) -> None:
    """Write facts/sources/<id>.yaml for an article; the id comes from publisher, date and URL."""
    facts = pipeline.Project(root).facts
    _scaffold(
        lambda: scaffold.new_source(facts, url, publisher=publisher, date=date, title=title, language=language),
        root,
        "created {where}",
    )


@new.command("entity", short_help="Write facts/entities/<id>.yaml for an entity.")
@click.argument("name")
@_root_option
@click.option("--type", "entity_type", type=click.Choice(scaffold.ENTITY_TYPES), required=True, help="What it is.")
@click.option("--id", "entity_id", help="The new entity's id (default: from the name, such as aleksandar-vucic).")
def new_entity(root: Path, name: str, entity_type: str, entity_id: str | None) -> None:
    """Write facts/entities/<id>.yaml for a country, territory, region, organisation or person."""
    facts = pipeline.Project(root).facts
    _scaffold(
        lambda: scaffold.new_entity(facts, name, entity_type, entity_id=entity_id),
        root,
        "created {where}",
        "add its facts with python -m generator new fact {id} --source SOURCE",
    )


@new.command("fact", short_help="Add a fact skeleton to an entity's file.")
@click.argument("entity")
@_root_option
@click.option(
    "--kind",
    type=click.Choice(scaffold.FACT_KINDS),
    default="report",
    show_default=True,
    help="report: the source states it; claim or quote: the entity (or another speaker) says it.",
)
@click.option("--source", "source_id", help="Id of the source the fact cites; its date is copied in.")
@click.option("--id", "fact_id", help="The new fact's id (default: <entity>-<n>, the first unused number).")
def new_fact(root: Path, entity: str, kind: str, source_id: str | None, fact_id: str | None) -> None:
    """Append a commented fact skeleton to facts/entities/ENTITY.yaml, keeping its comments."""
    facts = pipeline.Project(root).facts
    _scaffold(
        lambda: scaffold.new_fact(facts, entity, kind=kind, source=source_id, fact_id=fact_id, display_root=root),
        root,
        "added fact '{id}' at {where}",
    )
