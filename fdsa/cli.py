"""The ``fdsa`` command: synth | ingest | warehouse | report | batch.

Each subcommand imports its heavy modules lazily so ``fdsa --help`` stays fast.
Errors the user can act on (``WarehouseError``, bad arguments) are printed as one
clear line and exit non-zero, never as a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import duckdb
import typer
from rich.console import Console

from fdsa import config
from fdsa.warehouse.db import WarehouseError

app = typer.Typer(
    help="fdsa — freelance data-science analytics: build the warehouse, ingest real data, "
    "run analyses and reports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
warehouse_app = typer.Typer(help="Inspect the warehouse.", no_args_is_help=True)
app.add_typer(warehouse_app, name="warehouse")

console = Console(stderr=False)
err_console = Console(stderr=True)


def _show_version(value: bool) -> None:
    if value:
        import fdsa

        typer.echo(f"fdsa {fdsa.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Fdsa — freelance data-science analytics."""


F = TypeVar("F", bound=Callable[..., object])


def _describe(exc: BaseException) -> str:
    """One line for an expected failure; OS errors name the path and say nothing was published."""
    if isinstance(exc, OSError) and exc.strerror:
        where = exc.filename or "output"
        return f"{where}: {exc.strerror}; nothing was published"
    return str(exc)


def friendly_errors(func: F) -> F:
    """Turn expected failures into a one-line message and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return func(*args, **kwargs)
        except (WarehouseError, ValueError, OSError, duckdb.Error) as exc:
            err_console.print(
                f"[bold red]error:[/] {_describe(exc)}", highlight=False, soft_wrap=True
            )
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err_console.print("[bold red]interrupted[/]: nothing was published")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


WarehouseOption = Annotated[
    Path,
    typer.Option("--warehouse", "-w", help="Warehouse file (default data/warehouse/fdsa.duckdb)."),
]


@app.command()
@friendly_errors
def synth(
    scale: Annotated[
        float, typer.Option(help="Market size: 1 ≈ 50k jobs (the demo), 20 ≈ 1M jobs.")
    ] = config.DEFAULT_SCALE,
    seed: Annotated[int, typer.Option(help="Random seed; same seed and scale, same data.")] = (
        config.DEFAULT_SEED
    ),
    out: Annotated[
        Path | None,
        typer.Option("--warehouse", "-w", "--out", "-o", help="Warehouse file to (re)build."),
    ] = None,
    null_market: Annotated[
        bool,
        typer.Option(
            "--null-market",
            help="Plant no niche growth, shock or premium (for false-discovery checks).",
        ),
    ] = False,
) -> None:
    """Build the warehouse from the seeded synthetic market (published atomically)."""
    from fdsa.synth import build_warehouse
    from fdsa.warehouse.summary import print_summary

    out = out or config.default_warehouse()
    build_warehouse(out, scale=scale, seed=seed, null_market=null_market, progress=True)
    print_summary(out, console)


@warehouse_app.command("info")
@friendly_errors
def warehouse_info(
    warehouse: WarehouseOption = None,  # type: ignore[assignment]
) -> None:
    """What a warehouse holds, where it came from, and which reports it can serve."""
    from fdsa.reporting.provenance import availability
    from fdsa.warehouse.summary import print_summary

    held = print_summary(warehouse or config.default_warehouse(), console)
    rows, how = availability(held)
    console.print("reports this warehouse can serve:", highlight=False)
    for name, verdict, detail in rows:
        left_out = f"; left out: {detail}" if detail and verdict != "skipped" else ""
        because = f" ({detail})" if verdict == "skipped" else ""
        console.print(f"  {name}: {verdict}{because}{left_out}", highlight=False, soft_wrap=True)
    by_text: dict[str, list[str]] = {}
    for label, text in how.items():
        by_text.setdefault(text, []).append(label)
    if by_text:
        console.print("what is missing, and how to get it:", highlight=False)
        for text, labels in by_text.items():
            console.print(f"  {'; '.join(labels)}: {text}", highlight=False, soft_wrap=True)


@warehouse_app.command("export")
@friendly_errors
def warehouse_export(
    out: Annotated[Path, typer.Argument(help="Folder of the lake (created or replaced).")],
    format_name: Annotated[
        str, typer.Option("--format", "-f", help="Export format: parquet.")
    ] = "parquet",
    warehouse: WarehouseOption = None,  # type: ignore[assignment]
) -> None:
    """Write the warehouse as a Parquet lake (a folder per table) for DuckDB, Dask or Spark."""
    from fdsa.warehouse.lake import export_lake

    if format_name != "parquet":
        raise ValueError(f"--format must be parquet; got {format_name!r}")
    source = warehouse or config.default_warehouse()
    manifest = export_lake(source, out)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    files = sum(len(t["files"]) for t in manifest["tables"].values())
    console.print(
        f"exported {source} → {out}: {len(manifest['tables'])} tables, {rows:,} rows, "
        f"{files} Parquet files; open it with `--warehouse {out}` or "
        "fdsa.analysis.open_warehouse",
        highlight=False,
        soft_wrap=True,
    )


@warehouse_app.command("dictionary")
@friendly_errors
def warehouse_dictionary(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the markdown.")] = Path(
        "docs/data_dictionary.md"
    ),
    check: Annotated[
        bool, typer.Option("--check", help="Only check that the file is up to date.")
    ] = False,
) -> None:
    """Generate docs/data_dictionary.md from the schema's comments."""
    from fdsa.warehouse.db import render_data_dictionary

    text = render_data_dictionary()
    if check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            err_console.print(f"{out} is out of date: run `fdsa warehouse dictionary`")
            raise typer.Exit(1)
        console.print(f"{out} is up to date")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    console.print(f"wrote {out}")


@app.command("ingest")
@friendly_errors
def ingest(
    path: Annotated[Path | None, typer.Argument(help="File to import.")] = None,
    format_name: Annotated[
        str | None, typer.Option("--format", "-f", help="Input format (see --list-formats).")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", "-m", help="YAML column mapping (format mapped).")
    ] = None,
    warehouse: Annotated[
        Path | None,
        typer.Option(
            "--warehouse", "-w", help="Warehouse file (default data/warehouse/fdsa.duckdb)."
        ),
    ] = None,
    list_formats: Annotated[
        bool, typer.Option("--list-formats", help="List the formats and exit.")
    ] = False,
) -> None:
    """Import a real data file into the warehouse; every row is loaded, rejected or a duplicate."""
    from rich.markup import escape
    from rich.table import Table

    from fdsa.ingest import FORMATS, IngestError, ingest_file

    if list_formats:
        table = Table(title="fdsa ingest formats", title_justify="left")
        table.add_column("format")
        table.add_column("what it reads")
        for fmt in FORMATS.values():
            table.add_row(fmt.name, fmt.description)
        console.print(table)
        return
    if path is None or format_name is None:
        raise ValueError("give a file and --format NAME (or --list-formats)")
    target = warehouse or config.default_warehouse()
    try:
        result = ingest_file(path, format_name=format_name, warehouse=target, mapping=mapping)
    except IngestError as exc:  # file text in the message is not rich markup
        raise IngestError(escape(str(exc))) from None
    c = result.counts
    console.print(
        f"ingest run {result.ingest_run_id}: {path} ({format_name}) → {target}", highlight=False
    )
    table = Table()
    table.add_column("rows")
    table.add_column("count", justify="right")
    for label, n in (
        ("read", c.read),
        ("loaded", c.loaded),
        ("rejected", c.rejected),
        ("duplicate", c.duplicate),
    ):
        table.add_row(label, f"{n:,}")
    console.print(table)
    console.print(
        f"read {c.read:,} = loaded {c.loaded:,} + rejected {c.rejected:,} "
        f"+ duplicate {c.duplicate:,} in {result.seconds:.1f}s",
        highlight=False,
    )
    if c.other_share is not None:
        console.print(f"niche 'other': {c.other_share:.1%} of the postings loaded", highlight=False)
    for note in c.notes:
        console.print(f"note: {note}", highlight=False, soft_wrap=True, markup=False)
    if c.rejected:
        console.print(f"top reject reasons (of {c.rejected:,}):", highlight=False)
        for reason in result.top_reasons:
            console.print(f"  {reason}", highlight=False, soft_wrap=True, markup=False)
        console.print(
            f"rejected rows: ingest_run_id {result.ingest_run_id} in table rejects",
            highlight=False,
        )


LIST_WIDTH = 80
"""Columns ``fdsa report --list`` fits in."""


def _allowed(param) -> str:
    """What a report parameter accepts, in words: every choice, the range, or the format."""
    if param.choices:
        return "one of: " + ", ".join(param.choices)
    if param.lo is not None and param.hi is not None:
        return f"{param.lo:g} to {param.hi:g}"
    return "an ISO date (YYYY-MM-DD)" if param.is_date else "plain text"


def reports_listing(name: str | None = None, width: int = LIST_WIDTH) -> str:
    """The declared reports (or one), a block each: purpose, then every parameter.

    Each parameter gives its type, default and every allowed value (all niche and
    region values included), wrapped to ``width`` columns.
    """
    import textwrap

    from fdsa.reporting.params import REPORTS, did_you_mean

    if name is not None and name not in REPORTS:
        raise ValueError(
            f"unknown report {name!r}; choose one of {', '.join(REPORTS)}"
            f"{did_you_mean(name, tuple(REPORTS))}"
        )
    chosen = [REPORTS[name]] if name else list(REPORTS.values())
    kinds = {str: "text", int: "whole number", float: "number"}
    lines: list[str] = []
    for spec in chosen:
        lines.append(f"{spec.name} - {spec.title}")
        lines += textwrap.wrap(spec.purpose, width, initial_indent="  ", subsequent_indent="  ")
        for p in spec.params:
            default = "from the data" if p.default is None else str(p.default)
            kind = "date" if p.is_date else kinds.get(p.type, p.type.__name__)
            head = f"  -p {p.name}=... ({kind}; default: {default})"
            lines += textwrap.wrap(head, width, subsequent_indent="      ")
            text = f"{_allowed(p)}{'; ' + p.help if p.help and not p.choices else ''}"
            lines += textwrap.wrap(
                text,
                width,
                initial_indent="      ",
                subsequent_indent="      ",
                break_on_hyphens=False,
            )
        lines.append("")
    lines += textwrap.wrap(
        "Choices ignore case, and _ - or a space are the same: tenure=first_year means "
        "'first year'. Example: fdsa report niche_explorer -p niche=nlp -p region=europe_west",
        width,
    )
    return "\n".join(lines)


@app.command("report")
@friendly_errors
def report(
    name: Annotated[
        str | None, typer.Argument(help="Report name, e.g. rate_advisor (see --list).")
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Parameter as key=value (repeat).")
    ] = None,
    warehouse: WarehouseOption = None,  # type: ignore[assignment]
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Reports folder.")] = None,
    timeout: Annotated[
        int, typer.Option("--timeout", help="Seconds any one notebook cell may run.")
    ] = 600,
    list_reports: Annotated[
        bool,
        typer.Option(
            "--list", help="List the reports (or the one named) with every allowed value, and exit."
        ),
    ] = False,
) -> None:
    """Run one report with papermill and publish reports/<name>/<slug>.html."""
    from fdsa.reporting.params import parse_pairs
    from fdsa.reporting.runner import run_report

    if list_reports:
        typer.echo(reports_listing(name))
        return
    if name is None:
        raise ValueError("give a report name (fdsa report --list shows them)")
    out_dir = out or config.default_reports_dir()
    result = run_report(
        name,
        parse_pairs(param or []),
        warehouse=warehouse or config.default_warehouse(),
        out_dir=out_dir,
        timeout=timeout,
    )
    if result.status == "skipped":
        console.print(
            f"skipped {name}: the warehouse {result.skipped_reason}",
            highlight=False,
            soft_wrap=True,
        )
        console.print(f"index: {out_dir / 'index.html'}", highlight=False, soft_wrap=True)
        return
    if result.status != "ok":
        kept = out_dir / (result.failed_notebook or result.log or "_failed")
        err_console.print(
            f"[bold red]report {name} failed:[/] {result.error}; no HTML published; "
            f"executed notebook and log kept: {kept}",
            highlight=False,
        )
        console.print(f"index: {out_dir / 'index.html'}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    console.print(f"published {out_dir / str(result.html)}", highlight=False, soft_wrap=True)
    console.print(f"index: {out_dir / 'index.html'}", highlight=False, soft_wrap=True)


@app.command("batch")
@friendly_errors
def batch(
    runs: Annotated[Path, typer.Argument(help="Batch file (YAML), e.g. reports/runs.yaml.")],
    workers: Annotated[int, typer.Option("--workers", "-j", help="Parallel runs.")] = 2,
    executor: Annotated[
        str, typer.Option("--executor", help="process (local pool) or dask.")
    ] = "process",
    address: Annotated[
        str | None,
        typer.Option("--address", help="Dask scheduler, e.g. tcp://host:8786 (default: local)."),
    ] = None,
    warehouse: WarehouseOption = None,  # type: ignore[assignment]
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Reports folder.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Run even if nothing changed since the last batch.")
    ] = False,
    timeout: Annotated[
        int, typer.Option("--timeout", help="Seconds any one notebook cell may run.")
    ] = 600,
) -> None:
    """Run a matrix of reports in parallel; exit 1 if any failed (skipped runs are not failures)."""
    from rich.progress import MofNCompleteColumn, Progress, TimeElapsedColumn

    from fdsa.reporting.batch import expand, run_batch, run_line

    out_dir = out or config.default_reports_dir()
    total = len(expand(runs))
    columns = (*Progress.get_default_columns()[:2], MofNCompleteColumn(), TimeElapsedColumn())
    logging = not console.is_terminal  # cron, CI, a pipe: one line per finished run

    def done(result) -> None:
        progress.advance(task)
        if logging:
            console.print(run_line(result, out_dir), highlight=False, soft_wrap=True, markup=False)

    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task(f"{total} reports ({executor})", total=total)
        results, unchanged = run_batch(
            runs,
            warehouse=warehouse or config.default_warehouse(),
            out_dir=out_dir,
            workers=workers,
            force=force,
            executor=executor,
            address=address,
            timeout=timeout,
            on_done=done,
        )
    if unchanged:
        console.print(
            "warehouse, runs and notebooks unchanged since the last successful batch: "
            "nothing to do (--force reruns)",
            soft_wrap=True,
        )
        console.print(f"index: {out_dir / 'index.html'}", highlight=False, soft_wrap=True)
        return
    from fdsa.warehouse.facts import FACTS

    failed = [r for r in results if r.status == "failed"]
    skipped = [r for r in results if r.status == "skipped"]
    lacking = [f for f in FACTS if any(f in r.missing_facts for r in skipped)]
    because = (
        f" (the warehouse lacks {', '.join(FACTS[f].label for f in lacking)}; "
        "`fdsa warehouse info` says how to get them)"
        if lacking
        else ""
    )
    console.print(
        f"published {len(results) - len(failed) - len(skipped)}, skipped {len(skipped)}"
        f"{because}, failed {len(failed)}",
        highlight=False,
        soft_wrap=True,
    )
    for r in failed:
        kept = f" (kept: {out_dir / r.failed_notebook})" if r.failed_notebook else ""
        err_console.print(
            f"[bold red]failed:[/] {r.report} {r.parameters}: {r.error}{kept}",
            highlight=False,
            soft_wrap=True,
        )
    console.print(f"index: {out_dir / 'index.html'}", highlight=False, soft_wrap=True)
    if failed:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - console entry point
    """Entry point for ``python -m fdsa``."""
    app(prog_name="fdsa")


if __name__ == "__main__":  # pragma: no cover
    main()
