"""The HTTP face of the gateway: /graphql (POST, GET, GraphiQL), /health and /metrics."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from watchfiles import awatch

from gateway import metrics
from gateway.apq import APQError, PersistedQueries
from gateway.auth import Authenticator, KeysUnavailable, Unauthenticated
from gateway.engine import Answer, Engine, EngineOptions
from gateway.graphiql import GRAPHIQL_HTML
from gateway.identity import IDENTITY_HEADER, InternalTokens, Principal
from gateway.settings import Settings
from gateway.subgraph_client import SubgraphClient
from gateway.supergraph import SupergraphError, load_supergraph

log = logging.getLogger("gateway")

PLAN_HEADERS = ("apollo-query-plan-experimental", "x-partyorg-query-plan")
# Never passed on, whatever GATEWAY_FORWARD_HEADERS says: the subgraphs trust only the identity
# the gateway signs, and the HTTP framing is the gateway's own.
NEVER_FORWARDED = frozenset(
    {
        "authorization",
        IDENTITY_HEADER,
        "cookie",
        "host",
        "content-length",
        "content-type",
        "transfer-encoding",
        "connection",
    }
)


class GatewayState:
    """The engine in use; replaced as a whole when the supergraph file changes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = SubgraphClient(
            {},
            settings.subgraph_timeouts,
            settings.subgraph_timeout,
            metrics.observe_fetch,
        )
        self.apq = PersistedQueries(settings.apq_cache_size)
        self.authenticator = Authenticator(settings)
        internal_key = settings.internal_token_private_key  # usable: the authenticator checked
        self.internal_tokens = InternalTokens(
            internal_key.get_secret_value() if internal_key else "",
            settings.internal_token_ttl_seconds,
        )
        wanted = [h.strip().lower() for h in settings.forward_headers]
        refused = sorted(set(wanted) & NEVER_FORWARDED)
        if refused:
            log.warning("headers never forwarded to subgraphs", extra={"headers": refused})
        self.forward = tuple(h for h in wanted if h not in NEVER_FORWARDED)
        self.engine = self.load(settings.supergraph.read_text())

    def load(self, sdl: str) -> Engine:
        supergraph = load_supergraph(sdl)
        self.client.urls = {**supergraph.urls, **self.settings.subgraph_urls}
        options = EngineOptions(
            limits=self.settings.limits,
            introspection=self.settings.introspection_enabled,
            mask_subgraph_errors=self.settings.production,
            hide_suggestions=self.settings.production,
            plan_cache_size=self.settings.plan_cache_size,
        )
        return Engine(supergraph, self.client, options)

    def reload(self) -> None:
        try:
            self.engine = self.load(self.settings.supergraph.read_text())
        except (OSError, SupergraphError) as error:
            log.error(
                "supergraph reload failed; keeping the previous one", extra={"error": str(error)}
            )
            return
        log.info("supergraph reloaded", extra={"path": str(self.settings.supergraph)})


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status, headers, media_type="application/json")


def _bad_request(message: str, status: int = 400) -> Response:
    return _json({"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}, status)


def create_app(settings: Settings) -> Starlette:
    state = GatewayState(settings)
    supergraph_folder = settings.supergraph.absolute().parent

    async def graphql(request: Request) -> Response:
        started = time.perf_counter()
        request_id = request.state.request_id = _request_id(request)
        if request.method == "GET" and _wants_graphiql(request, settings.production):
            return HTMLResponse(GRAPHIQL_HTML)
        try:
            principal = await state.authenticator.authenticate(request.headers.get("authorization"))
        except Unauthenticated as refusal:
            return _refuse(refusal, request_id)
        except KeysUnavailable as trouble:
            return _keys_unavailable(trouble, request_id)
        if request.method == "GET":
            payload = _read_get(request)
        else:
            payload = await _read_post(request, settings.max_body_bytes)
        if isinstance(payload, Response):
            return payload
        try:
            answer = await _answer(request, payload, principal)
        except Exception:
            log.exception("request failed", extra={"request_id": request_id})
            answer = Answer(500, _error_body("INTERNAL_SERVER_ERROR", "Internal server error"))
        elapsed = time.perf_counter() - started
        metrics.request_seconds.observe(elapsed)
        metrics.requests.labels("error" if "errors" in answer.body else "ok").inc()
        if log.isEnabledFor(logging.INFO):
            operation = payload.get("operationName")
            log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "subject": principal.subject,
                    "roles": principal.roles,
                    "operation": operation if isinstance(operation, str) else None,
                    "status": answer.status,
                    "duration_ms": round(elapsed * 1000, 3),
                },
            )
        return _json(answer.body, answer.status, {"x-request-id": request_id})

    async def _answer(request: Request, payload: dict[str, Any], principal: Principal) -> Answer:
        query = payload.get("query")
        variables = payload.get("variables")
        operation_name = payload.get("operationName")
        extensions = payload.get("extensions")
        if query is not None and not isinstance(query, str):
            return Answer(400, _error_body("BAD_REQUEST", "query must be a string"))
        if variables is not None and not isinstance(variables, dict):
            return Answer(400, _error_body("BAD_REQUEST", "variables must be an object"))
        try:
            query = state.apq.resolve(query, extensions if isinstance(extensions, dict) else None)
        except APQError as error:
            return Answer(error.status, _error_body(error.code, error.message))
        if not query:
            return Answer(400, _error_body("BAD_REQUEST", "the request has no query"))
        request_id = request.state.request_id
        headers = {k: v for k, v in request.headers.items() if k in state.forward}
        if "x-request-id" in state.forward:
            headers["x-request-id"] = request_id
        headers[IDENTITY_HEADER] = state.internal_tokens.sign(principal, request_id)
        include_plan = not settings.production and any(request.headers.get(h) for h in PLAN_HEADERS)
        return await state.engine.run(
            query,
            variables,
            operation_name if isinstance(operation_name, str) else None,
            headers,
            include_plan=include_plan,
            allow_mutations=request.method == "POST",
            deadline=time.monotonic() + settings.request_timeout,
        )

    async def health(_: Request) -> Response:
        return _json({"status": "ok", "subgraphs": sorted(state.client.urls)})

    async def prometheus(_: Request) -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

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

    middleware = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["*"],
                allow_credentials=True,
            )
        )
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/health", health, methods=["GET"]),
            Route("/metrics", prometheus, methods=["GET"]),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.gateway = state
    return app


def _request_id(request: Request) -> str:
    """The client's x-request-id when it is a sensible one (it goes into logs and into the
    identity token), else a new one."""
    sent = request.headers.get("x-request-id", "")
    if 0 < len(sent) <= 128 and sent.isascii() and sent.isprintable():
        return sent
    return uuid.uuid4().hex


def _wants_graphiql(request: Request, production: bool) -> bool:
    """A browser opening /graphql in development: the page itself holds no data."""
    params = request.query_params
    return (
        not production
        and "query" not in params
        and "extensions" not in params
        and "text/html" in request.headers.get("accept", "")
    )


def _refuse(refusal: Unauthenticated, request_id: str) -> Response:
    log.info("request refused", extra={"request_id": request_id, "reason": refusal.reason})
    metrics.requests.labels("unauthenticated").inc()
    challenge = 'Bearer realm="partyorg"'
    if refusal.token_sent:
        challenge += ', error="invalid_token"'
    return _json(
        _error_body("UNAUTHENTICATED", refusal.reason),
        401,
        {"www-authenticate": challenge, "x-request-id": request_id},
    )


def _keys_unavailable(trouble: KeysUnavailable, request_id: str) -> Response:
    log.warning("request refused: no signing keys", extra={"request_id": request_id})
    metrics.requests.labels("keys_unavailable").inc()
    return _json(
        _error_body("SERVICE_UNAVAILABLE", str(trouble)),
        503,
        {"retry-after": "5", "x-request-id": request_id},
    )


def _read_get(request: Request) -> dict[str, Any] | Response:
    params = request.query_params
    if "query" not in params and "extensions" not in params:
        return _bad_request("GET requests must carry a query")
    try:
        return {
            "query": params.get("query"),
            "operationName": params.get("operationName"),
            "variables": orjson.loads(params["variables"]) if params.get("variables") else None,
            "extensions": orjson.loads(params["extensions"]) if params.get("extensions") else None,
        }
    except orjson.JSONDecodeError:
        return _bad_request("variables and extensions must be JSON")


async def _read_post(request: Request, max_bytes: int) -> dict[str, Any] | Response:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        return _bad_request("the request body is too large", 413)
    body = await request.body()
    if len(body) > max_bytes:
        return _bad_request("the request body is too large", 413)
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return _bad_request("the request body is not JSON")
    if not isinstance(payload, dict):
        return _bad_request("the request body must be a JSON object")
    return payload


def _error_body(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


async def _watch(folder: Path, name: str, state: GatewayState) -> None:
    async for _ in awatch(folder, watch_filter=lambda _c, p: Path(p).name == name):
        state.reload()
