"""The `mapreport` command: parse arguments, call one function, print the outcome, map errors to exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

from mapreport import __version__
from mapreport.core.errors import InputError, MapreportError, ProjectNotFound, excerpt

EXIT_CODES = """Exit codes: 0 success; 1 a run or verify failure (reports/ is left as it was); 2 an input problem
(bad or missing params, data, or no mapreport project found)."""


def _fail(exc: MapreportError) -> NoReturn:
    if isinstance(exc, ProjectNotFound):
        click.secho(f"mapreport: {exc}", fg="red", err=True)
        sys.exit(2)
    kind = "Input problem" if isinstance(exc, InputError) else "Run failed"
    click.secho(f"{kind}:", fg="red", err=True, bold=True)
    click.echo(str(exc), err=True)
    sys.exit(2 if isinstance(exc, InputError) else 1)


@contextmanager
def _reported() -> Iterator[None]:
    """Turn mapreport's own errors into one message and an exit code; no traceback."""
    try:
        yield
    except MapreportError as exc:
        _fail(exc)


def _all_quarters() -> list[str]:
    from mapreport.core import paths
    from mapreport.core.params import available_quarters

    quarters = available_quarters()
    if not quarters:
        raise ProjectNotFound(
            f"{paths.relative(paths.params_dir())}/ holds no <quarter>.yaml, so there is nothing to check or render; "
            "add one (e.g. params/2022-23-Q1.yaml)"
        )
    return quarters


def _named(quarters: tuple[str, ...], option: str) -> list[str]:
    """The quarters named on the command line, each once, each a quarter's name (not a path or a typo)."""
    from mapreport.core.errors import Problem
    from mapreport.core.periods import Quarter

    problems = []
    for quarter in dict.fromkeys(quarters):
        try:
            Quarter.parse(quarter)
        except ValueError as exc:
            problems.append(Problem(option, excerpt(quarter), str(exc)[:200]))
    if problems:
        raise InputError(problems)
    return list(dict.fromkeys(quarters))


def _quarters(quarters: tuple[str, ...], run_all: bool) -> list[str]:
    if run_all == bool(quarters):
        raise click.UsageError("give --quarter QUARTER (one or more) or --all, not both and not neither")
    return _all_quarters() if run_all else _named(quarters, "--quarter")


@click.group(epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="mapreport")
@click.option(
    "--project-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The mapreport project (a folder with params/, data/ and notebooks/). Default: the current folder or "
    "its nearest parent that is one.",
)
def cli(project_dir: Path | None) -> None:
    """Render and check the quarterly reports on the Mayor's Action Plan."""
    from mapreport.core import paths

    with _reported():
        if project_dir is not None:
            paths.use_project(project_dir)
        else:
            paths.project_root()


@cli.command(epilog=EXIT_CODES)
@click.option("--quarter", "-q", "quarters", multiple=True, help="Quarter to render, e.g. 2022-23-Q1.")
@click.option("--all", "run_all", is_flag=True, help="Render every quarter in params/.")
@click.option("--force", is_flag=True, help="Re-execute even reports whose inputs are unchanged.")
@click.option("--cell-timeout", default=300, show_default=True, help="Seconds a notebook cell may run.")
@click.option("--workers", type=int, default=None, help="Notebooks executed at once (default: one per core).")
@click.option(
    "--report",
    "reports",
    multiple=True,
    help="Render only this report (repeatable), e.g. progress_report; the others stay as published.",
)
def run(
    quarters: tuple[str, ...],
    run_all: bool,
    force: bool,
    cell_timeout: int,
    workers: int | None,
    reports: tuple[str, ...],
) -> None:
    """Validate inputs, execute the notebooks and publish reports/<quarter>/."""
    from mapreport.pipeline.run import run_quarters

    console_line: Callable[[str, str], None] = lambda quarter, message: click.echo(f"  {quarter}: {message}", err=True)  # noqa: E731
    with _reported():
        selected = _quarters(quarters, run_all)
        click.echo(f"Rendering {', '.join(selected)} ...", err=True)
        results = run_quarters(
            selected,
            force=force,
            cell_timeout=cell_timeout,
            workers=workers,
            progress=console_line,
            reports=list(reports) or None,
        )
    executed = sum(len(r.executed) for r in results)
    click.echo(f"Done: {executed} notebook(s) executed, {sum(len(r.unchanged) for r in results)} unchanged.")


@cli.command(epilog=EXIT_CODES)
def site() -> None:
    """Rebuild reports/index.html, the list of published editions (`run` does this after every run)."""
    from mapreport.core.paths import relative
    from mapreport.pipeline.site import build_index

    with _reported():
        index = build_index()
    click.echo(f"Wrote {relative(index)}")


@cli.command(epilog=EXIT_CODES)
@click.option("--quarter", "-q", "quarters", multiple=True, help="Quarter to check (default: all).")
def validate(quarters: tuple[str, ...]) -> None:
    """Check the params and every input file each report reads; report all problems at once."""
    from mapreport.pipeline.validate import grouped, validate_quarters

    with _reported():
        try:
            checked = validate_quarters(_named(quarters, "--quarter") or _all_quarters())
        except InputError as exc:
            click.secho(f"Input problem: {len(exc.problems)} to fix, by file:", fg="red", err=True, bold=True)
            click.echo(grouped(exc.problems), err=True)
            sys.exit(2)
    click.echo(f"All inputs valid for {', '.join(checked)}.")


@cli.command(epilog=EXIT_CODES)
@click.argument("quarters", nargs=-1)
def verify(quarters: tuple[str, ...]) -> None:
    """Re-hash inputs and outputs and compare them with each quarter's manifest (default: every quarter)."""
    from mapreport.pipeline.verify import verify_quarters

    with _reported():
        checks = verify_quarters(_named(quarters, "quarter") or _all_quarters())
    for check in checks:
        colour = "green" if check.ok else "red"
        click.echo(f"{check.quarter}  {click.style(f'{check.state:<15}', fg=colour)} {check.role:<8} {check.path}")
    bad = [c for c in checks if not c.ok]
    click.echo(f"{len(checks) - len(bad)} of {len(checks)} checks pass.")
    if bad:
        sys.exit(1)


@cli.command(epilog=EXIT_CODES)
@click.argument("first")
@click.argument("second")
def diff(first: str, second: str) -> None:
    """Show what changed between two quarters' published reports, table by table."""
    from mapreport.pipeline.diff import diff_quarters

    with _reported():
        click.echo("\n".join(diff_quarters(first, second)))


@cli.command("new-quarter", epilog=EXIT_CODES)
@click.argument("quarter")
@click.option(
    "--document",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The quarter's source document as plain text (UTF-8), e.g. the MPS paper saved as .txt.",
)
@click.option("--doc-id", default=None, help="Its id: lower-case words joined by hyphens, e.g. mps-oversight-2022-10.")
@click.option("--title", default=None, help="Its title, as printed on it.")
@click.option("--published", default=None, help="When it was published: YYYY-MM or YYYY-MM-DD.")
@click.option("--publisher", default="MPS", show_default=True, help="Who published it (MPS, MOPAC, GLA, ...).")
def new_quarter(
    quarter: str,
    document: Path | None,
    doc_id: str | None,
    title: str | None,
    published: str | None,
    publisher: str,
) -> None:
    """Start a quarter: params/QUARTER.yaml, the document registered, and a status worksheet to fill."""
    from mapreport.pipeline.scaffold import NewDocument
    from mapreport.pipeline.scaffold import new_quarter as scaffold

    given = None
    if document is not None:
        if not (doc_id and title and published):
            raise click.UsageError("--document needs --doc-id, --title and --published too")
        given = NewDocument(document, doc_id, title, published, publisher)
    elif doc_id or title or published:
        raise click.UsageError("--doc-id, --title and --published describe a --document; give it too")
    with _reported():
        for line in scaffold(quarter, given):
            click.echo(line)
    click.echo(
        f"Next: fill data/status/{quarter}.csv, then `mapreport validate --quarter {quarter}` and "
        f"`mapreport run --quarter {quarter}`."
    )


def main() -> None:
    """The console script."""
    cli(prog_name="mapreport")
