"""labourdash command line: refresh | rebuild | status | demo | serve. Logging is configured here only."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from etl import jsonlog
from etl import status as status_mod
from etl.errors import describe as describe_error
from etl.settings import Settings, get_settings
from etl.stale import stale_holder
from etl.warehouse import RefreshLocked

log = logging.getLogger(__name__)
app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console(stderr=True, soft_wrap=True, width=None if sys.stderr.isatty() else 160)
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_PARTIAL = 0, 1, 2, 3, 4


class Source(StrEnum):
    """Which API a refresh pulls from."""

    scb = "scb"
    kolada = "kolada"
    all = "all"


class RichProgress:
    """One progress bar per source."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def start(self, source: str, total: int) -> None:
        """Add a bar for a source."""
        self.tasks[source] = self.progress.add_task(source, total=total)

    def note(self, source: str, description: str) -> None:
        """Show what the source is doing without moving the bar."""
        self.progress.update(self.tasks[source], description=f"{source}: {description}")

    def advance(self, source: str, description: str) -> None:
        """Move a source's bar one step."""
        self.progress.update(self.tasks[source], advance=1, description=f"{source}: {description}")


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description:<32}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console, transient=False,
    )  # fmt: skip


def _print_report(report: dict) -> None:
    table = Table(title=f"Run {report.get('run_id')} ({report.get('kind')})")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in sorted(report.get("rows", {}).items()):
        table.add_row(name, f"{n:,}")
    console.print(table)
    if report.get("note"):
        console.print(report["note"], markup=False, highlight=False)
    for change in report.get("changes", []):
        detail = f"  {change['detail']}" if change.get("detail") else ""
        colour = {"failed": "red", "retired": "yellow"}.get(change["action"])
        line = (f"  {change['source']:7} {change['table_key']:20} {change['action']:10} "
                f"updated {change.get('updated')}{detail}")  # fmt: skip
        console.print(f"[{colour}]{line}[/]" if colour else line, markup=bool(colour),
                      highlight=False)  # fmt: skip
    for problem in report.get("archive_problems") or []:
        console.print(problem, style="yellow", markup=False, highlight=False)
    unmapped = report.get("unmapped") or {}
    for unit, codes in unmapped.items():
        shown = ", ".join(f"{k} ({n:,})" for k, n in list(codes.items())[:5])
        console.print(f"  unmapped codes in {unit}: {shown}", markup=False, highlight=False)
    cc = report.get("crosscheck")
    if cc:
        console.print(
            f"Cross-check SCB vs Kolada: {cc['compared']:,} figures compared, "
            f"{cc['over_threshold']} differ by more than {cc['threshold_pp']} pp"
            + (f" (largest {cc['max_abs_diff_pp']} pp)" if cc["over_threshold"] else "")
        )
        for w in cc.get("worst", [])[:5]:
            console.print(f"    {w['area_code']} {w['year']} {w['sex']}/{w['birth_region']}: "
                          f"{w['scb_table']} {w['scb_value']} vs {w['kolada_kpi']} {w['kolada_value']}")  # fmt: skip
    if report.get("synthetic") in ("true", "partial"):
        console.print(f"[yellow]Warehouse contains SYNTHETIC values ({report['synthetic']}); "
                      f"real series: {', '.join(report.get('recorded_series') or []) or 'none'}[/]")  # fmt: skip


def locked(settings: Settings, exc: RefreshLocked) -> tuple[int, str]:
    """Exit code and one line for a held lock (refresh, rebuild and demo alike).

    A lock held by a dead or over-deadline run is a failure (1, "stale refresh lock: …"): it is not
    taken over, since the kernel lock still belongs to a live process and two writers would build
    at once. A live run's lock is 3 ("another refresh is running …").
    """
    if why := stale_holder(settings):
        return EXIT_FAILED, f"stale refresh lock: {why}; stop that process"
    return EXIT_LOCKED, str(exc)


@app.command()
def refresh(
    source: Annotated[Source, typer.Option(help="Which API to pull from.")] = Source.all,
    full: Annotated[
        bool, typer.Option("--full", help="Fetch every table even if unchanged.")
    ] = False,
    log_json: Annotated[
        bool,
        typer.Option(
            "--log-json", help="One JSON object per event on stdout (for log collectors)."
        ),
    ] = False,
) -> None:
    """Pull changed tables from SCB and Kolada, then build and swap in a new warehouse."""
    from etl.pipeline import SOURCES, RefreshFailed
    from etl.pipeline import refresh as run_refresh

    settings = get_settings()
    sources = SOURCES if source == Source.all else (source.value,)
    events = jsonlog.JsonEvents() if log_json else None

    def fail(code: int, message: str, exc: BaseException) -> typer.Exit:
        if events:
            events.finish("failed" if code == EXIT_FAILED else "locked", code, error=message)
        else:
            console.print(f"[red]{message}[/]")
        return typer.Exit(code)

    try:
        if events:
            with events.capture_logs():
                report = run_refresh(settings, sources, full, events)
        else:
            with _progress() as bars:
                report = run_refresh(settings, sources, full, RichProgress(bars))
    except RefreshLocked as exc:
        raise fail(*locked(settings, exc), exc) from exc
    except RefreshFailed as exc:
        raise fail(EXIT_FAILED, str(exc), exc) from exc
    except Exception as exc:  # noqa: BLE001 - e.g. a full disk before the run could start
        message = (f"refresh failed: {describe_error(exc, str(settings.data_dir))}. "
                   "The previous warehouse is unchanged.")  # fmt: skip
        raise fail(EXIT_FAILED, message, exc) from exc
    if events:
        events.finish("ok", 0, report=report)
        return
    _print_report(report)
    if report.get("status") == "partial":
        failed = report.get("failed_units") or []
        kept = (
            "nothing new was fetched, so the warehouse is unchanged"
            if report.get("note")
            else "the new warehouse is in"
        )
        console.print(f"[yellow]refresh partial: {len(failed)} unit(s) failed and keep their last "
                      f"complete data; {kept}. See `labourdash status`.[/]")  # fmt: skip
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def rebuild() -> None:
    """Rebuild staging and mart from the raw archive, offline."""
    from etl.pipeline import rebuild as run_rebuild

    settings = get_settings()
    try:
        with _progress() as bars:
            report = run_rebuild(settings, RichProgress(bars))
    except RefreshLocked as exc:
        code, message = locked(settings, exc)
        console.print(f"[red]{message}[/]")
        raise typer.Exit(code) from exc
    except Exception as exc:  # noqa: BLE001 - one clear line instead of a traceback
        console.print(
            f"[red]rebuild failed: {describe_error(exc)}. The previous warehouse is unchanged.[/]"
        )
        raise typer.Exit(EXIT_FAILED) from exc
    _print_report(report)
    if report.get("status") == "partial":
        for line in report.get("failed_sets", []):
            console.print(f"[yellow]{line}[/]")
        console.print("[yellow]rebuild partial: the sets and corrupt archives above were left out "
                      "or built from earlier versions; the new warehouse is in.[/]")  # fmt: skip
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    max_age: Annotated[
        float | None,
        typer.Option(
            "--max-age", min=0, help="Exit 1 when the last successful refresh is older (days)."
        ),
    ] = None,
) -> None:
    """Last run, units, freshness, row counts; exit 1 missing/failed/too old, 4 when units are stale."""
    settings = get_settings()
    st = status_mod.collect(settings)
    if max_age is not None:
        status_mod.check_max_age(st, settings, max_age)
    if as_json:
        print(status_mod.to_json(st))
    else:
        console.print(f"Warehouse: {st.warehouse} ({'present' if st.exists else 'missing'})")
        if st.info:
            synth = st.info.get("synthetic")
            label = {"true": "[yellow]SYNTHETIC (demo)[/]", "partial": "[yellow]partly synthetic (demo)[/]"}.get(
                synth, "official statistics"
            )  # fmt: skip
            console.print(
                f"Contents: {label}; built {st.info.get('built_at')} by {st.info.get('kind')}"
            )
        if st.last_run:
            console.print(f"Last run: {st.last_run.get('kind')} {st.last_run.get('status')} "
                          f"started {st.last_run.get('started_at')}")  # fmt: skip
        if st.freshness:
            table = Table(title="Series in the warehouse")
            for col in (
                "source table",
                "indicator",
                "last year",
                "source updated",
                "fetched",
                "values",
            ):
                table.add_column(col, overflow="fold")
            for row in st.freshness:
                table.add_row(row["source_table"], row["indicator"], row["last_year"], row["source_updated"][:10],
                              row["fetched_at"][:16], row["values"])  # fmt: skip
            console.print(table)
        if st.units:
            table = Table(title="Refresh units")
            for col in ("unit", "state", "last success", "last attempt", "error"):
                table.add_column(col, overflow="fold")
            for u in st.units:
                table.add_row(f"{u['source']}:{u['key']}", u["state"], (u["last_success"] or "-")[:16],
                              (u["last_attempt"] or "-")[:16], u["error"] or "")  # fmt: skip
            console.print(table)
            for u in st.units:
                if u.get("unmapped"):
                    shown = ", ".join(f"{k} ({n:,})" for k, n in list(u["unmapped"].items())[:5])
                    console.print(f"unmapped codes in {u['source']}:{u['key']}: {shown}",
                                  markup=False, highlight=False)  # fmt: skip
        for area, w in st.rebuild_check.items():  # LUA districts rebuilt from counts vs TAB6680
            console.print(f"{area}: rebuilt vs TAB6680 largest {w['largest_pct']:+.2f} % ({w['measure']}, "
                          f"{w['year']}, {w['sex']}){'' if w['within_tolerance'] else ' ABOVE TOLERANCE'}",
                          markup=False, highlight=False)  # fmt: skip
        if st.rows:
            console.print("Rows: " + ", ".join(f"{k} {v:,}" for k, v in st.rows.items()))
        for p in st.problems:
            console.print(p, style="red", markup=False, highlight=False)
    if not st.healthy:
        raise typer.Exit(EXIT_FAILED)
    if st.stale_units:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def demo(
    recorded: Annotated[
        Path | None,
        typer.Option(
            help="Folder of recorded real responses (e.g. ../shared/recorded); they replace synthetic values."
        ),
    ] = None,
    areas_multiplier: Annotated[
        int,
        typer.Option(help="Benchmarks: N times the municipalities (synthetic copies, 0114S01)."),
    ] = 1,
    years: Annotated[
        str | None, typer.Option(help="Benchmarks: only these years, e.g. 2015-2025.")
    ] = None,
) -> None:
    """Build a demo warehouse: synthetic values over the real codes, clearly labelled synthetic."""
    from etl.demo.demo import build_demo
    from etl.demo.scale import MAX_MULTIPLIER, Scale, parse_years

    settings = get_settings()
    if recorded is not None and not recorded.is_dir():
        console.print(f"[red]--recorded {recorded} is not a folder[/]")
        raise typer.Exit(2)
    try:
        span = parse_years(years)
    except ValueError as exc:
        console.print(f"[red]--years: {exc}[/]")
        raise typer.Exit(2) from exc
    if not 1 <= areas_multiplier <= MAX_MULTIPLIER:
        console.print(f"[red]--areas-multiplier must be 1 to {MAX_MULTIPLIER}[/]")
        raise typer.Exit(2)
    try:
        with _progress() as bars:
            task = bars.add_task("demo", total=None)
            report = build_demo(settings.db_path, recorded, settings,
                                progress=lambda msg: bars.update(task, description=f"demo: {msg}"),
                                scale=Scale(areas_multiplier, span))  # fmt: skip
    except RefreshLocked as exc:
        code, message = locked(settings, exc)
        console.print(f"[red]{message}[/]")
        raise typer.Exit(code) from exc
    except Exception as exc:  # noqa: BLE001 - one clear line instead of a traceback
        log.debug("demo failed", exc_info=True)
        console.print(f"[red]demo failed: {describe_error(exc)}. No warehouse was replaced.[/]")
        raise typer.Exit(EXIT_FAILED) from exc
    _print_report(report)
    console.print(f"Demo warehouse written to {settings.db_path}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8050,
    workers: Annotated[
        int | None, typer.Option(help="gunicorn worker processes [default: LABOURDASH_WORKERS, 3].")
    ] = None,
    threads: Annotated[
        int | None,
        typer.Option(help="threads per worker, 1 = sync workers [default: LABOURDASH_THREADS, 4]."),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Dash development server instead of gunicorn.")
    ] = False,
) -> None:
    """Serve the dashboard (gunicorn, several workers, read-only warehouse connections)."""
    settings = get_settings()
    workers = max(1, settings.serve_workers if workers is None else workers)
    threads = max(1, settings.serve_threads if threads is None else threads)
    if not settings.db_path.exists():
        console.print(
            f"[red]no warehouse at {settings.db_path}; run `labourdash demo` or `labourdash refresh` first[/]"
        )
        raise typer.Exit(EXIT_FAILED)
    env = {**os.environ, "LABOURDASH_DB": str(settings.db_path)}
    if debug:  # the dashboard runs in its own process: the ETL never imports the dashboard
        cmd = [sys.executable, "-m", "dashboard.wsgi", "--host", host, "--port", str(port)]
        sys.stderr.flush()
        os.execve(sys.executable, cmd, env)
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    # preload, worker class, limits, logging: dashboard/serving/gunicorn_conf.py (a string here:
    # the ETL never imports the dashboard)
    cmd = [gunicorn, "-c", GUNICORN_CONF, "--workers", str(workers), "--bind", f"{host}:{port}",
           *_worker_options(threads)]  # fmt: skip
    console.print(f"Serving on http://{host}:{port} with {workers} workers x {threads} threads")
    sys.stderr.flush()
    os.execve(gunicorn, cmd, env)  # gunicorn takes over the process: signals reach it directly


GUNICORN_CONF = "python:dashboard.serving.gunicorn_conf"


def _worker_options(threads: int) -> list[str]:
    """gunicorn options for `threads` per worker. Every worker is threaded (the config's worker
    class: a request waiting in DuckDB or on the network holds a thread, not the whole worker)
    with keep-alive and a header deadline; 1 thread serves one request at a time."""
    return ["--threads", str(threads)]


def main() -> None:
    """Entry point: configure logging once, then run the command."""
    level = get_settings().log_level
    logging.basicConfig(
        level=level, format="%(message)s", handlers=[RichHandler(console=console, show_path=False)]
    )
    app()


if __name__ == "__main__":
    main()
