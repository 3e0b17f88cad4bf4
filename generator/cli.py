"""Command line: parses arguments and calls one pipeline function per command."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import click

from generator import build as pipeline
from generator import progress
from generator.problems import exit_code, format_github, format_text, sort_problems, summary

FORMATS = click.Choice(["text", "github"])


def _root_option(func: Callable[..., None]) -> Callable[..., None]:
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="Project folder holding facts/, content/ and mkdocs.yml.",
    )(func)


def _report_options(func: Callable[..., None]) -> Callable[..., None]:
    func = click.option("--strict", is_flag=True, help="Treat warnings as errors.")(func)
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
    sys.exit(code)


def _say(message: str) -> None:
    progress.finish()
    click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verbose", is_flag=True, help="Show a traceback when the generator itself fails.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Validate the YAML facts and build the fact-sheet site."""
    ctx.obj = {"verbose": verbose}
    progress.enable(sys.stderr)  # long stages show a counter; short ones print nothing extra


@cli.command()
@_root_option
@_report_options
def validate(root: Path, strict: bool, output_format: str) -> None:
    """Check every file under facts/ and report all problems as file:line:col."""
    outcome = pipeline.validate(pipeline.Project(root), _say)
    finish(outcome, root, strict=strict, output_format=output_format)


@cli.command()
@_root_option
@_report_options
def generate(root: Path, strict: bool, output_format: str) -> None:
    """Validate, then write the generated Markdown pages into content/."""
    outcome = pipeline.generate(pipeline.Project(root), _say)
    finish(outcome, root, strict=strict, output_format=output_format)


@cli.command()
@_root_option
@_report_options
def build(root: Path, strict: bool, output_format: str) -> None:
    """Validate, generate, and build site/ with mkdocs build --strict."""
    outcome = pipeline.build(pipeline.Project(root), _say)
    finish(outcome, root, strict=strict, output_format=output_format)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; never show a traceback unless --verbose is given."""
    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=args, prog_name="python -m generator", standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug in the generator, not bad input
        if "--verbose" in args:
            traceback.print_exc()
        else:
            click.echo(f"internal error: {type(exc).__name__}: {exc} (run with --verbose for a traceback)", err=True)
        sys.exit(2)
