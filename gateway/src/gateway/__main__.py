"""python -m gateway --supergraph FILE --port N [--subgraph-url name=url ...] [--workers N]"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import uvicorn
from partyorg_logs import configure_logging
from partyorg_logs.traces import start_tracing

from gateway.auth import ConfigurationError
from gateway.http_protocol import GatewayHttpProtocol
from gateway.metrics import MULTIPROCESS_DIR, serve_apart
from gateway.server import GatewayApp, create_app
from gateway.settings import Settings
from gateway.supergraph import SupergraphError

SERVICE = "gateway"  # the name its log lines carry


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
    parser.add_argument(
        "--workers", type=int, help="processes answering requests (GATEWAY_WORKERS)"
    )
    args = parser.parse_args(argv)
    overrides: dict[str, Any] = {}
    for name in ("supergraph", "host", "port", "production", "workers"):
        if getattr(args, name) is not None:
            overrides[name] = getattr(args, name)
    settings = Settings(**overrides)
    for item in args.subgraph_url:
        name, _, url = item.partition("=")
        if not url:
            parser.error(f"--subgraph-url expects NAME=URL, got {item!r}")
        settings.subgraph_urls[name] = url
    return settings


def worker_app() -> GatewayApp:
    """A worker's gateway, from the environment `main` handed it."""
    settings = Settings()
    configure_logging(SERVICE, settings.log_level)
    start_tracing(SERVICE)
    return create_app(settings)


def main(argv: list[str] | None = None) -> None:
    settings = parse_settings(argv)
    configure_logging(SERVICE, settings.log_level)
    try:
        # Also with several workers: a setting that stops the gateway stops it here, once,
        # with its reasons, rather than each worker failing in turn.
        app = create_app(settings)
    except ConfigurationError as error:
        sys.exit("\n  ".join(["the gateway cannot start:", *error.problems]))
    except (OSError, SupergraphError) as error:
        sys.exit(f"the gateway cannot start: {error}")
    served: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level.lower(),
        "access_log": False,
        "log_config": None,
        "proxy_headers": False,  # the gateway reads no client address or scheme
        "server_header": False,  # names no server software to callers, one header less to write
        "http": GatewayHttpProtocol,  # POST /graphql straight from the parser
        "timeout_worker_healthcheck": settings.worker_healthcheck_seconds,
    }
    workers = settings.worker_count
    if workers == 1:
        start_tracing(SERVICE)  # else each worker does (worker_app)
        if settings.metrics_port is not None:
            serve_apart(settings.metrics_host, settings.metrics_port)
        uvicorn.run(app, **served)
        return
    del app
    # The workers read their settings from the environment: the command line's go there too.
    os.environ["GATEWAY_SUPERGRAPH"] = str(settings.supergraph.absolute())
    os.environ["GATEWAY_PRODUCTION"] = "true" if settings.production else "false"
    os.environ["GATEWAY_SUBGRAPH_URLS"] = json.dumps(settings.subgraph_urls)
    with tempfile.TemporaryDirectory(prefix="gateway-metrics-") as metrics_folder:
        os.environ[MULTIPROCESS_DIR] = metrics_folder
        if settings.metrics_port is not None:
            serve_apart(settings.metrics_host, settings.metrics_port)
        uvicorn.run("gateway.__main__:worker_app", factory=True, workers=workers, **served)


if __name__ == "__main__":
    main()
