"""GET and POST /graphql: the request read, the caller authenticated, the operation answered and
the JSON written back.

A bare ASGI app, the gateway's one hot path: the framework's request, response and routing
layers cost about a sixth of a cached operation's time, so they are left out of it."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.datastructures import QueryParams
from starlette.types import Receive, Scope, Send

from gateway import graphiql, metrics, traces
from gateway.apq import APQError
from gateway.auth import KeysUnavailable, Unauthenticated
from gateway.engine import Answer
from gateway.identity import IDENTITY_HEADER, Principal
from gateway.state import GatewayState

log = logging.getLogger("gateway")

PLAN_HEADERS = ("apollo-query-plan-experimental", "x-partyorg-query-plan")
_JSON = b"application/json"
_HTML = b"text/html; charset=utf-8"


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: bytes = _JSON
    headers: tuple[tuple[bytes, bytes], ...] = ()


class GraphQLEndpoint:
    def __init__(self, state: GatewayState) -> None:
        self.state = state
        self.settings = state.settings
        self.answered = metrics.requests.labels("ok")
        self.failed = metrics.requests.labels("error")
        self.graphiql_assets = graphiql.load_assets()
        self.graphiql_page = graphiql.page(self.graphiql_assets).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reply = await self.reply(scope, receive)
        if reply is None:
            return  # the client left before its request was read
        await send(
            {
                "type": "http.response.start",
                "status": reply.status,
                "headers": [
                    (b"content-type", reply.content_type),
                    (b"content-length", str(len(reply.body)).encode()),
                    *reply.headers,
                ],
            }
        )
        await send({"type": "http.response.body", "body": reply.body})

    async def reply(self, scope: Scope, receive: Receive) -> Reply | None:
        started = time.perf_counter()
        headers = header_dict(scope["headers"])
        request_id = _request_id(headers.get("x-request-id", ""))
        is_get = scope["method"] == "GET"
        params = QueryParams(scope["query_string"]) if is_get else None
        if params is not None and _wants_graphiql(params, headers, self.settings.production):
            return Reply(200, self.graphiql_page, _HTML)
        caller = await self.authenticate(headers, request_id)
        if isinstance(caller, Reply):
            return caller
        payload: dict[str, Any] | Reply | None
        if params is not None:
            payload = _read_get(params)
        else:
            payload = await _read_post(receive, headers, self.settings.max_body_bytes)
        if not isinstance(payload, dict):
            return payload
        return await self.complete(started, payload, headers, request_id, caller, is_get)

    async def reply_to_post(self, headers: dict[str, str], body: bytes | bytearray) -> Reply:
        """A POST whose body the server has read already (http_protocol.DirectCycle)."""
        started = time.perf_counter()
        request_id = _request_id(headers.get("x-request-id", ""))
        caller = await self.authenticate(headers, request_id)
        if isinstance(caller, Reply):
            return caller
        if len(body) > self.settings.max_body_bytes:
            return too_large()
        payload = _parse_post(body)
        if not isinstance(payload, dict):
            return payload
        return await self.complete(started, payload, headers, request_id, caller, False)

    async def authenticate(self, headers: dict[str, str], request_id: str) -> Principal | Reply:
        try:
            return await self.state.authenticator.authenticate(headers.get("authorization"))
        except Unauthenticated as refusal:
            return _refuse(refusal, request_id)
        except KeysUnavailable as trouble:
            return _keys_unavailable(trouble, request_id)

    async def complete(
        self,
        started: float,
        payload: dict[str, Any],
        headers: dict[str, str],
        request_id: str,
        principal: Principal,
        is_get: bool,
    ) -> Reply:
        with traces.answering(headers, payload.get("operationName"), request_id) as span:
            try:
                answer = await self.answer(payload, headers, request_id, principal, is_get)
            except Exception:
                log.exception("request failed", extra={"request_id": request_id})
                answer = Answer(500, _error_body("INTERNAL_SERVER_ERROR", "Internal server error"))
            elapsed = time.perf_counter() - started
            failed = "errors" in answer.body
            traces.answered(span, answer.status, failed)
            metrics.request_seconds.observe(elapsed)
            (self.failed if failed else self.answered).inc()
            metrics.observe_operation(payload.get("operationName"), elapsed, failed)
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
        return Reply(answer.status, answer.json(), _JSON, ((b"x-request-id", request_id.encode()),))

    async def answer(
        self,
        payload: dict[str, Any],
        headers: dict[str, str],
        request_id: str,
        principal: Principal,
        is_get: bool,
    ) -> Answer:
        query = payload.get("query")
        variables = payload.get("variables")
        operation_name = payload.get("operationName")
        extensions = payload.get("extensions")
        if query is not None and not isinstance(query, str):
            return Answer(400, _error_body("BAD_REQUEST", "query must be a string"))
        if variables is not None and not isinstance(variables, dict):
            return Answer(400, _error_body("BAD_REQUEST", "variables must be an object"))
        state = self.state
        try:
            query = state.apq.resolve(query, extensions if isinstance(extensions, dict) else None)
        except APQError as error:
            return Answer(error.status, _error_body(error.code, error.message))
        if not query:
            return Answer(400, _error_body("BAD_REQUEST", "the request has no query"))
        forwarded = {name: headers[name] for name in state.forward if name in headers}
        if "x-request-id" in state.forward:
            forwarded["x-request-id"] = request_id
        forwarded[IDENTITY_HEADER] = state.identities.sign(principal, request_id)
        include_plan = not self.settings.production and any(headers.get(h) for h in PLAN_HEADERS)
        return await state.engine.run(
            query,
            variables,
            operation_name if isinstance(operation_name, str) else None,
            forwarded,
            include_plan=include_plan,
            allow_mutations=not is_get,
            deadline=time.monotonic() + self.settings.request_timeout,
        )


def header_dict(headers: Sequence[tuple[bytes, bytes]]) -> dict[str, str]:
    """The request's headers (lower-case names) by name; of a repeated one, the first."""
    return {name.decode("latin-1"): value.decode("latin-1") for name, value in reversed(headers)}


def _request_id(sent: str) -> str:
    """The client's x-request-id when it is a sensible one (it goes into logs and into the
    identity token), else a new one: 128 random bits, unique rather than secret (it is no
    credential), from `random` — `secrets` reads the kernel's generator, a system call a
    request."""
    if 0 < len(sent) <= 128 and sent.isascii() and sent.isprintable():
        return sent
    return f"{random.getrandbits(128):032x}"


def _json(body: Any, status: int, request_id: str, *more: tuple[bytes, bytes]) -> Reply:
    return Reply(status, orjson.dumps(body), _JSON, ((b"x-request-id", request_id.encode()), *more))


def _error_body(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def _bad_request(message: str, status: int = 400) -> Reply:
    return Reply(status, orjson.dumps(_error_body("BAD_REQUEST", message)))


def too_large() -> Reply:
    return _bad_request("the request body is too large", 413)


def _wants_graphiql(params: QueryParams, headers: dict[str, str], production: bool) -> bool:
    """A browser opening /graphql in development: the page itself holds no data."""
    return (
        not production
        and "query" not in params
        and "extensions" not in params
        and "text/html" in headers.get("accept", "")
    )


def _refuse(refusal: Unauthenticated, request_id: str) -> Reply:
    log.info("request refused", extra={"request_id": request_id, "reason": refusal.reason})
    metrics.requests.labels("unauthenticated").inc()
    challenge = 'Bearer realm="partyorg"'
    if refusal.token_sent:
        challenge += ', error="invalid_token"'
    return _json(
        _error_body("UNAUTHENTICATED", refusal.reason),
        401,
        request_id,
        (b"www-authenticate", challenge.encode()),
    )


def _keys_unavailable(trouble: KeysUnavailable, request_id: str) -> Reply:
    log.warning("request refused: no signing keys", extra={"request_id": request_id})
    metrics.requests.labels("keys_unavailable").inc()
    return _json(
        _error_body("SERVICE_UNAVAILABLE", str(trouble)),
        503,
        request_id,
        (b"retry-after", b"5"),
    )


def _read_get(params: QueryParams) -> dict[str, Any] | Reply:
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


async def _read_post(
    receive: Receive, headers: dict[str, str], max_bytes: int
) -> dict[str, Any] | Reply | None:
    """The request's JSON object, a reply refusing it, or None when the client left."""
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        return too_large()
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_bytes:
            return too_large()
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return _parse_post(chunks[0] if len(chunks) == 1 else b"".join(chunks))


def _parse_post(body: bytes | bytearray) -> dict[str, Any] | Reply:
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return _bad_request("the request body is not JSON")
    if not isinstance(payload, dict):
        return _bad_request("the request body must be a JSON object")
    return payload
