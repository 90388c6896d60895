"""`partyorg`: the command line of ward and district staff.

    partyorg import FILE [--kind members|candidates|organisations] [--dry-run]
                         [--gateway URL] [--token TOKEN] [--chunk-size N] [--parallel N]
    partyorg template members|candidates|organisations FILE.xlsx|FILE.csv

Exit codes: 0 every row imported (or checked), 1 some rows rejected (see <FILE>.rejected.csv),
2 failure (a file that cannot be read, the gateway unreachable or refusing the call, an
interruption: run the same command again to resume).
"""

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console

from partyorg_cli import sheets
from partyorg_cli.columns import Invalid, Kind
from partyorg_cli.gateway import Gateway, GatewayFailed
from partyorg_cli.importing import CALLS, CHUNK, MAX_ROWS, run

SUCCESS, SOME_REJECTED, FAILURE = 0, 1, 2
DEFAULT_GATEWAY = "http://127.0.0.1:4000/graphql"


def parser() -> argparse.ArgumentParser:
    tool = argparse.ArgumentParser(prog="partyorg", description=__doc__.split("\n\n")[0])
    commands = tool.add_subparsers(dest="command", required=True)
    load = commands.add_parser("import", help="import a list (.xlsx or .csv) through the gateway")
    load.add_argument("file", type=Path)
    load.add_argument("--kind", choices=[kind.value for kind in Kind], help="default: by headers")
    load.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    load.add_argument(
        "--gateway",
        default=os.environ.get("PARTYORG_GATEWAY", DEFAULT_GATEWAY),
        help=f"the gateway's URL (PARTYORG_GATEWAY; default {DEFAULT_GATEWAY})",
    )
    load.add_argument("--token", help="a bearer token (default: PARTYORG_TOKEN)")
    load.add_argument(
        "--chunk-size", type=int, default=CHUNK, help=f"rows a call (≤ 5000; {CHUNK})"
    )
    load.add_argument(
        "--parallel",
        type=int,
        default=CALLS,
        help=f"calls at once, members and candidates (1 to 8; {CALLS})",
    )
    template = commands.add_parser("template", help="write an empty list to fill in")
    template.add_argument("kind", choices=[kind.value for kind in Kind])
    template.add_argument("file", type=Path)
    return tool


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    console = Console(stderr=True)
    try:
        if arguments.command == "template":
            sheets.write_template(Kind(arguments.kind), arguments.file)
            console.print(f"wrote {arguments.file}")
            return SUCCESS
        return import_file(arguments, console)
    except Invalid as error:
        console.print(f"[red]{error}[/red]")
        return FAILURE
    except GatewayFailed as error:
        console.print(f"[red]not imported: {error}[/red] — run the same command again to resume")
        return FAILURE
    except KeyboardInterrupt:
        console.print("[yellow]interrupted[/yellow] — run the same command again to resume")
        return FAILURE


def import_file(arguments: argparse.Namespace, console: Console) -> int:
    token = arguments.token or os.environ.get("PARTYORG_TOKEN")
    if not token:
        raise Invalid("a token is needed: --token or PARTYORG_TOKEN")
    if not 1 <= arguments.chunk_size <= MAX_ROWS:
        raise Invalid(f"--chunk-size is from 1 to {MAX_ROWS}")
    if not 1 <= arguments.parallel <= 8:
        raise Invalid("--parallel is from 1 to 8")
    gateway = Gateway(arguments.gateway, token)
    try:
        outcome = run(
            arguments.file,
            gateway,
            kind=Kind(arguments.kind) if arguments.kind else None,
            dry_run=arguments.dry_run,
            chunk_size=arguments.chunk_size,
            calls=arguments.parallel,
            console=console,
        )
    finally:
        gateway.close()
    counts = outcome.counts
    checked = " (dry run: nothing written)" if arguments.dry_run else ""
    console.print(
        f"{outcome.kind.value}: {counts['created']} created, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {outcome.rejected} rejected "
        f"({outcome.refused_here} by the checks before sending){checked}"
    )
    if outcome.report is not None:
        console.print(f"rejected rows: {outcome.report}")
    return SOME_REJECTED if outcome.rejected else SUCCESS


if __name__ == "__main__":
    sys.exit(main())
