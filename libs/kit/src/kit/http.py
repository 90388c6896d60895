"""The FastAPI app every service serves: its subgraph at /graphql, health, readiness, metrics."""

import asyncio
import gc
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import strawberry
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.fastapi import GraphQLRouter

from kit.context import REQUEST_ID_HEADER, current_request_id, request_id
from kit.graphql_context import ServiceContext
from kit.identity import current_principal
from kit.identity_verification import GatewayKeys, IdentityMiddleware
from kit.logging import configure_logging
from kit.metrics import LATENCY, REQUESTS, UNMATCHED
from kit.runtime import Runtime
from kit.settings import ServiceSettings
from kit.tracing import trace_requests

log = logging.getLogger("kit.http")

UseCases = TypeVar("UseCases")


def route_template(routes: list[BaseRoute], scope: Scope) -> str:
    """The path of the route serving the request, as written (`/graphql`), never the path asked
    for: those nothing serves are all `unmatched`."""
    for route in routes:
        match, _ = route.matches(scope)
        if match is not Match.NONE:
            return str(getattr(route, "path", UNMATCHED))
    return UNMATCHED


class RequestIdMiddleware:
    """Takes the caller's x-request-id (or makes one), keeps it for logs and events, returns it."""

    def __init__(self, app: ASGIApp, service: str, routes: list[BaseRoute]) -> None:
        self.app = app
        self.service = service
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        given = headers.get(REQUEST_ID_HEADER.encode())
        token = request_id.set(given.decode() if given else None)
        rid = current_request_id()
        route = route_template(self.routes, scope)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            LATENCY.labels(self.service, route).observe(time.perf_counter() - started)
            REQUESTS.labels(self.service, route, str(status)).inc()
            request_id.reset(token)


def trusted_gateway_keys(settings: ServiceSettings) -> GatewayKeys | None:
    """The gateway's public keys from INTERNAL_TOKEN_PUBLIC_KEYS. Keys that cannot be used stop
    the service; none at all stops it in production, and elsewhere leaves /graphql closed."""
    if os.environ.get("INTERNAL_TOKEN_SECRET"):
        log.warning(
            "INTERNAL_TOKEN_SECRET is no longer read: the gateway signs with a private key and "
            "this service verifies with INTERNAL_TOKEN_PUBLIC_KEYS; remove the secret"
        )
    pem = settings.internal_token_public_keys
    if pem is None or not pem.strip():
        if settings.production:
            raise RuntimeError("INTERNAL_TOKEN_PUBLIC_KEYS must be set in production")
        return None
    try:
        return GatewayKeys.from_pem(pem)
    except ValueError as error:
        raise RuntimeError(f"INTERNAL_TOKEN_PUBLIC_KEYS cannot be used: {error}") from None


def create_service_app(
    runtime: Runtime,
    schema: strawberry.Schema,
    use_cases: UseCases,
    context_type: type[ServiceContext[UseCases]] = ServiceContext,
    on_startup: Callable[[], Awaitable[None]] | None = None,
) -> FastAPI:
    """The app serving `schema`; each request's resolvers find a `context_type` holding the
    use cases and the caller in `info.context`."""
    settings = runtime.settings
    configure_logging(settings.service_name, settings.log_level)
    gateway_keys = trusted_gateway_keys(settings)

    async def context() -> ServiceContext[UseCases]:
        return context_type(
            use_cases=use_cases,
            principal=current_principal(),
            access_log=runtime.access_log,
            production=settings.production,
        )

    async def prepare_store() -> None:
        """The indexes made, and what earlier releases stored upgraded (each upgrade once)."""
        await runtime.access_log.create_indexes()
        if on_startup is not None:
            await on_startup()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await prepare_store()
        # the schema, the settings and the modules live as long as the process: keep the cyclic
        # collector off them, so that its full collections (pauses in a request) stay short
        gc.collect()
        gc.freeze()
        await runtime.start()
        yield
        await runtime.stop()

    app = FastAPI(title=f"partyorg {settings.service_name}", lifespan=lifespan, docs_url=None)
    app.state.runtime = runtime
    app.state.prepare_store = prepare_store
    graphql: GraphQLRouter[ServiceContext[Any], None] = GraphQLRouter(
        schema,
        context_getter=context,
        # no IDE: Strawberry's loads its scripts from a CDN, and a browser could not use it
        # anyway (/graphql answers only requests signed by the gateway); GraphiQL is the
        # gateway's, served offline
        graphql_ide=None,
    )
    app.include_router(graphql, prefix="/graphql")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        checks = await runtime.readiness()
        ready = all(checks.values())
        return JSONResponse({"ready": ready, **checks}, status_code=200 if ready else 503)

    @app.get("/metrics")
    async def metrics() -> Response:
        await runtime.gauges.refresh()
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    # outermost first: the request id is in place before the identity is checked
    app.add_middleware(IdentityMiddleware, keys=gateway_keys)
    app.add_middleware(RequestIdMiddleware, service=settings.service_name, routes=app.routes)
    trace_requests(app)  # outermost: each request's span holds its id and identity checks
    return app


def serve(app: FastAPI, settings: ServiceSettings, arguments: Sequence[str]) -> None:
    """`python -m <service>` serves the app. `python -m <service> upgrade` only makes the
    indexes and upgrades what earlier releases stored, then exits: the step to run before a
    rollout, so that no replica spends its start-up on it (at a city's size, minutes)."""
    if list(arguments) == ["upgrade"]:
        asyncio.run(_upgrade(app))
    elif arguments:
        raise SystemExit(f"usage: python -m {settings.service_name} [upgrade]")
    else:
        import uvicorn

        uvicorn.run(app, host=settings.host, port=settings.port, log_config=None)


async def _upgrade(app: FastAPI) -> None:
    try:
        await app.state.prepare_store()
    finally:
        await app.state.runtime.mongo.close()
