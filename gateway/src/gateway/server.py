"""The HTTP face of the gateway: /graphql (POST, GET, GraphiQL), GraphiQL's own files, /health
and /metrics."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.datastructures import State
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from watchfiles import awatch

from gateway import graphiql, metrics
from gateway.graphql_http import GraphQLEndpoint
from gateway.settings import Settings
from gateway.state import GatewayState


class GatewayApp:
    """Sends /graphql straight to its endpoint, everything else (health, metrics, the lifespan,
    a wrong method or path) through Starlette; CORS, when configured, wraps both."""

    def __init__(self, graphql: GraphQLEndpoint, framework: Starlette, settings: Settings) -> None:
        self.graphql = graphql
        self.framework = framework
        self.state: State = framework.state
        self.handle: ASGIApp = self.dispatch
        self.cors = bool(settings.cors_origins)
        if self.cors:
            self.handle = CORSMiddleware(
                self.dispatch,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["*"],
                allow_credentials=True,
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.handle(scope, receive, send)

    async def dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == "/graphql"
            and scope["method"] in ("POST", "GET")
        ):
            await self.graphql(scope, receive, send)
        else:
            await self.framework(scope, receive, send)


def _json(body: Any) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")


def create_app(settings: Settings) -> GatewayApp:
    state = GatewayState(settings)
    supergraph_folder = settings.supergraph.absolute().parent
    graphql = GraphQLEndpoint(state)

    async def health(_: Request) -> Response:
        return _json({"status": "ok", "subgraphs": sorted(state.client.urls)})

    async def prometheus(_: Request) -> Response:
        if settings.metrics_port is not None:  # served on its own port, off the public one
            return Response(status_code=404)
        return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE)

    async def readyz(_: Request) -> Response:
        """Ready when every subgraph says it is (its /readyz: database, broker, consumer)."""
        checks = await state.client.readiness()
        ready = all(checks.values())
        return Response(
            orjson.dumps({"ready": ready, "subgraphs": checks}),
            status_code=200 if ready else 503,
            media_type="application/json",
        )

    # only the files the manifest names; their names carry their versions, so they never change
    graphiql_files = {asset.name for asset in graphql.graphiql_assets}

    async def graphiql_asset(request: Request) -> Response:
        name = request.path_params["name"]
        if settings.production or name not in graphiql_files:
            return Response(status_code=404)
        return FileResponse(
            graphiql.ASSETS_FOLDER / name,
            headers={"cache-control": "public, max-age=31536000, immutable"},
        )

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # Schemas and plans live as long as the process: keep the cyclic collector off them,
        # so that full collections stay short.
        gc.collect()
        gc.freeze()
        watcher = None
        await state.authenticator.start()
        if settings.watch_supergraph:
            watcher = asyncio.create_task(
                _watch(supergraph_folder, settings.supergraph.name, state)
            )
        try:
            yield
        finally:
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher
            await state.client.aclose()
            await state.authenticator.aclose()

    framework = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/health", health, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", prometheus, methods=["GET"]),
            Route(f"{graphiql.ASSETS_ROUTE}/{{name}}", graphiql_asset, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    framework.state.gateway = state
    return GatewayApp(graphql, framework, settings)


async def _watch(folder: Path, name: str, state: GatewayState) -> None:
    async for _ in awatch(folder, watch_filter=lambda _c, p: Path(p).name == name):
        state.reload()
