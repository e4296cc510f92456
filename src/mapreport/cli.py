"""The `mapreport` command: parse arguments, call one function, print the outcome."""

from __future__ import annotations

import sys

import click

from mapreport.core.errors import InputError, MapreportError


def _fail(exc: MapreportError) -> None:
    kind = "Input problem" if isinstance(exc, InputError) else "Run failed"
    click.secho(f"{kind}:", fg="red", err=True, bold=True)
    click.echo(str(exc), err=True)
    sys.exit(2 if isinstance(exc, InputError) else 1)


def _quarters(quarters: tuple[str, ...], run_all: bool) -> list[str]:
    from mapreport.core.params import available_quarters

    if run_all == bool(quarters):
        raise click.UsageError("give --quarter QUARTER (one or more) or --all, not both and not neither")
    return available_quarters() if run_all else list(quarters)


@click.group()
def cli() -> None:
    """Render and check the quarterly reports on the Mayor's Action Plan."""


@cli.command()
@click.option("--quarter", "-q", "quarters", multiple=True, help="Quarter to render, e.g. 2022-23-Q1.")
@click.option("--all", "run_all", is_flag=True, help="Render every quarter in params/.")
@click.option("--force", is_flag=True, help="Re-execute even notebooks whose inputs are unchanged.")
@click.option("--cell-timeout", default=300, show_default=True, help="Seconds a notebook cell may run.")
@click.option("--workers", type=int, default=None, help="Notebooks executed at once (default: one per core).")
def run(quarters: tuple[str, ...], run_all: bool, force: bool, cell_timeout: int, workers: int | None) -> None:
    """Validate inputs, execute the notebooks and publish reports/<quarter>/."""
    from mapreport.pipeline.run import run_quarters

    selected = _quarters(quarters, run_all)
    console_line = lambda quarter, message: click.echo(f"  {quarter}: {message}", err=True)  # noqa: E731
    click.echo(f"Rendering {', '.join(selected)} ...", err=True)
    try:
        results = run_quarters(selected, force=force, cell_timeout=cell_timeout, workers=workers, progress=console_line)
    except MapreportError as exc:
        _fail(exc)
    executed = sum(len(r.executed) for r in results)
    click.echo(f"Done: {executed} notebook(s) executed, {sum(len(r.unchanged) for r in results)} unchanged.")


@cli.command()
@click.option("--quarter", "-q", "quarters", multiple=True, help="Quarter to check (default: all).")
def validate(quarters: tuple[str, ...]) -> None:
    """Check the params and every input file; report all problems at once."""
    from mapreport.pipeline.validate import validate_quarters

    try:
        checked = validate_quarters(list(quarters) or None)
    except MapreportError as exc:
        _fail(exc)
    click.echo(f"All inputs valid for {', '.join(checked)}.")


@cli.command()
@click.argument("quarters", nargs=-1)
def verify(quarters: tuple[str, ...]) -> None:
    """Re-hash inputs and outputs and compare them with each quarter's manifest (default: every quarter)."""
    from mapreport.core.params import available_quarters
    from mapreport.pipeline.verify import verify_quarters

    try:
        checks = verify_quarters(list(quarters) or available_quarters())
    except MapreportError as exc:
        _fail(exc)
    for check in checks:
        colour = "green" if check.ok else "red"
        click.echo(f"{check.quarter}  {click.style(f'{check.state:<15}', fg=colour)} {check.role:<8} {check.path}")
    bad = [c for c in checks if not c.ok]
    click.echo(f"{len(checks) - len(bad)} of {len(checks)} files match their manifests.")
    if bad:
        sys.exit(1)


@cli.command()
@click.argument("first")
@click.argument("second")
def diff(first: str, second: str) -> None:
    """Show what changed between two quarters' published reports, table by table."""
    from mapreport.pipeline.diff import diff_quarters

    try:
        click.echo("\n".join(diff_quarters(first, second)))
    except MapreportError as exc:
        _fail(exc)


def main() -> None:
    cli(prog_name="mapreport")
