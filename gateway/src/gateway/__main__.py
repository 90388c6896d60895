"""python -m gateway --supergraph FILE --port N [--subgraph-url name=url ...]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import uvicorn

from gateway.auth import ConfigurationError
from gateway.logs import configure_logging
from gateway.server import create_app
from gateway.settings import Settings


def parse_settings(argv: list[str] | None = None) -> Settings:
    parser = argparse.ArgumentParser(prog="python -m gateway", description=__doc__)
    parser.add_argument("--supergraph", type=Path, help="supergraph SDL file (GATEWAY_SUPERGRAPH)")
    parser.add_argument("--host", help="listen address (GATEWAY_HOST)")
    parser.add_argument("--port", type=int, help="listen port (GATEWAY_PORT)")
    parser.add_argument(
        "--subgraph-url",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="override a subgraph's URL (GATEWAY_SUBGRAPH_URLS as a JSON object)",
    )
    parser.add_argument("--production", action="store_true", default=None)
    args = parser.parse_args(argv)
    overrides: dict[str, Any] = {}
    for name in ("supergraph", "host", "port", "production"):
        if getattr(args, name) is not None:
            overrides[name] = getattr(args, name)
    settings = Settings(**overrides)
    for item in args.subgraph_url:
        name, _, url = item.partition("=")
        if not url:
            parser.error(f"--subgraph-url expects NAME=URL, got {item!r}")
        settings.subgraph_urls[name] = url
    return settings


def main(argv: list[str] | None = None) -> None:
    settings = parse_settings(argv)
    configure_logging(settings.log_level)
    try:
        app = create_app(settings)
    except ConfigurationError as error:
        sys.exit("\n  ".join(["the gateway cannot start:", *error.problems]))
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        access_log=False,
        log_config=None,
    )


if __name__ == "__main__":
    main()
