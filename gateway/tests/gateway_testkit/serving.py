"""Serves test subgraphs over HTTP on free loopback ports, each in a background thread."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
import uvicorn
from graphql import GraphQLResolveInfo, graphql
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway_testkit.federated import Subgraph


@dataclass
class RequestLog:
    """What a subgraph received: the gateway's queries, variables and headers."""

    requests: list[dict[str, Any]] = field(default_factory=list)

    def clear(self) -> None:
        self.requests.clear()

    @property
    def count(self) -> int:
        return len(self.requests)


def _resolver_for(subgraph: Subgraph) -> Any:
    def resolve(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        key = f"{info.parent_type.name}.{info.field_name}"
        custom = subgraph.resolvers.get(key)
        if custom is not None:
            return custom(source, info, **args)
        if info.field_name == "_entities":
            return [_entity(subgraph, r) for r in args["representations"]]
        if info.field_name == "_service":
            return {"sdl": subgraph.sdl}
        if subgraph.fallback is not None and not (
            isinstance(source, dict) and info.field_name in source
        ):
            return subgraph.fallback(source, info, **args)
        value = source.get(info.field_name) if isinstance(source, dict) else None
        return value(info, **args) if callable(value) else value

    return resolve


def _entity(subgraph: Subgraph, representation: dict[str, Any]) -> Any:
    typename = representation["__typename"]
    resolver = subgraph.entities.get(typename)
    if resolver is None:
        return dict(representation) if subgraph.fallback is not None else None
    found = resolver(representation)
    if isinstance(found, dict) and "__typename" not in found:
        found = {**found, "__typename": typename}
    return found


def _type_of(value: Any, *_: Any) -> Any:
    return value.get("__typename") if isinstance(value, dict) else None


def subgraph_app(subgraph: Subgraph, log: RequestLog) -> Starlette:
    field_resolver = _resolver_for(subgraph)

    async def endpoint(request: Request) -> Response:
        payload = orjson.loads(await request.body())
        log.requests.append({**payload, "headers": dict(request.headers)})
        result = await graphql(
            subgraph.schema,
            payload["query"],
            variable_values=payload.get("variables"),
            operation_name=payload.get("operationName"),
            field_resolver=field_resolver,
            type_resolver=_type_of,
        )
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [e.formatted for e in result.errors]
        return Response(orjson.dumps(body), media_type="application/json")

    async def ready(_: Request) -> Response:  # as a partyorg service answers when ready
        return Response(orjson.dumps({"ready": True}), media_type="application/json")

    return Starlette(
        routes=[
            Route("/graphql", endpoint, methods=["POST"]),
            Route("/readyz", ready, methods=["GET"]),
        ]
    )


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@dataclass
class RunningSubgraph:
    name: str
    url: str
    log: RequestLog


@contextmanager
def serve_app(app: Any, http: type[asyncio.Protocol] | str = "auto") -> Iterator[str]:
    """Runs an ASGI app on a free loopback port (with uvicorn's `http` protocol); yields its
    base URL."""
    sock = free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        http=http,
        proxy_headers=False,  # as python -m gateway serves it
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()


@contextmanager
def serve_subgraphs(subgraphs: list[Subgraph]) -> Iterator[dict[str, RunningSubgraph]]:
    running: dict[str, RunningSubgraph] = {}
    with ExitStack() as stack:
        for subgraph in subgraphs:
            log = RequestLog()
            base = stack.enter_context(serve_app(subgraph_app(subgraph, log)))
            running[subgraph.name] = RunningSubgraph(subgraph.name, f"{base}/graphql", log)
        yield running
