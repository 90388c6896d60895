"""uvicorn's HTTP/1.1 protocol with POST /graphql answered from the parser, without ASGI.

The ASGI cycle costs more CPU than the HTTP parsing itself: a scope dictionary, message
dictionaries both ways, each response header checked against a pattern, the head and the body
written apart. POST /graphql, the gateway's one hot path, skips it: its body is gathered as the
parser delivers it, its answer is written head and body in one `transport.write`. Everything
else — GET /graphql, GraphiQL, /health, /metrics, a request with `Expect: 100-continue`, a
cross-origin request when CORS is configured — goes through the ASGI app as before. Keep-alive,
pipelining (answers in order), flow control, the keep-alive timeout and a graceful shutdown
stay uvicorn's: the direct request takes the place of its request-response cycle."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from uvicorn._types import ASGI3Application
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import (
    STATUS_LINE,
    HttpToolsProtocol,
    RequestResponseCycle,
)
from uvicorn.server import ServerState

from gateway.graphql_http import GraphQLEndpoint, Reply, header_dict, too_large
from gateway.server import GatewayApp

log = logging.getLogger("gateway")

GRAPHQL_PATH = b"/graphql"
_INTERNAL_ERROR = (
    STATUS_LINE[500] + b"content-type: text/plain; charset=utf-8\r\ncontent-length: 21\r\n"
    b"connection: close\r\n\r\nInternal Server Error"
)


class GatewayHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol; POST /graphql answered by a DirectCycle."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        app = self.app
        self.endpoint: GraphQLEndpoint | None = None
        self.cors = False
        if isinstance(app, GatewayApp) and self.limit_concurrency is None:
            self.endpoint = app.graphql
            self.cors = app.cors

    def on_message_begin(self) -> None:
        # The ASGI scope is made only for a request that goes to the app (on_headers_complete).
        self.url = b""
        self.expect_100_continue = False
        self.headers = []

    def on_headers_complete(self) -> None:
        endpoint = self.endpoint
        parser = self.parser
        if (
            endpoint is None
            or self.url != GRAPHQL_PATH
            or parser.get_method() != b"POST"
            or self.expect_100_continue
            or parser.should_upgrade()
            or (self.cors and any(name == b"origin" for name, _ in self.headers))
        ):
            self.scope = {  # type: ignore[typeddict-item]
                "type": "http",
                "asgi": {"version": self.asgi_version, "spec_version": "2.3"},
                "http_version": "1.1",
                "server": self.server,
                "client": self.client,
                "scheme": self.scheme,  # type: ignore[typeddict-item]
                "root_path": self.root_path,
                "headers": self.headers,
                "state": self.app_state.copy(),
            }
            super().on_headers_complete()
            return
        keep_alive = parser.get_http_version() != "1.0" and parser.should_keep_alive()
        existing = self.cycle
        self.cycle = cycle = DirectCycle(self, endpoint, keep_alive)
        if existing is None or existing.response_complete:
            self._start_asgi_task(cycle, self.app)
        else:
            self.flow.pause_reading()
            self.pipeline.appendleft((cycle, self.app))


def _nothing() -> None:
    pass


class DirectCycle(RequestResponseCycle):
    """One POST /graphql: the state uvicorn's protocol keeps of a request (body, more_body,
    message_event, disconnected, keep_alive, response_complete) and the run that answers it.
    uvicorn's own __init__ is not called: it sets up the ASGI messages this cycle never uses."""

    def __init__(
        self, protocol: GatewayHttpProtocol, endpoint: GraphQLEndpoint, keep_alive: bool
    ) -> None:
        self.protocol = protocol
        self.endpoint = endpoint
        self.headers = protocol.headers
        self.transport = protocol.transport
        self.flow = protocol.flow
        self.on_response = protocol.on_response_complete
        self.message_event = asyncio.Event()
        self.keep_alive = keep_alive
        self.disconnected = False
        self.body = bytearray()
        self.more_body = True
        self.response_started = False
        self.response_complete = False

    async def run_asgi(self, app: ASGI3Application) -> None:
        try:
            headers = header_dict(self.headers)
            body = await self.read(headers)
            if body is None:
                return  # the client left before its request was read
            reply = (
                body
                if isinstance(body, Reply)
                else await self.endpoint.reply_to_post(headers, body)
            )
            await self.write(reply)
        except Exception:
            log.exception("request failed")
            if not self.response_started and not self.disconnected:
                self.response_started = True
                self.transport.write(_INTERNAL_ERROR)
            self.transport.close()
        finally:
            self.on_response = _nothing

    async def read(self, headers: dict[str, str]) -> bytearray | Reply | None:
        """The whole body, a 413 as soon as it is known to be too large, or None when the
        client left. The parser fills `body` (HttpToolsProtocol.on_body); a small request's
        has all arrived before this task first runs."""
        limit = self.endpoint.settings.max_body_bytes
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return too_large()
        while self.more_body and not self.disconnected:
            if len(self.body) > limit:
                return too_large()
            self.flow.resume_reading()
            await self.message_event.wait()
            self.message_event.clear()
        if self.disconnected:
            return None
        return self.body

    async def write(self, reply: Reply) -> None:
        if self.flow.write_paused and not self.disconnected:
            await self.flow.drain()
        if self.disconnected:
            return
        self.response_started = True
        parts = [STATUS_LINE[reply.status]]
        for name, value in self.protocol.server_state.default_headers:
            parts += (name, b": ", value, b"\r\n")
        parts += (b"content-type: ", reply.content_type, b"\r\ncontent-length: ")
        parts += (b"%d" % len(reply.body), b"\r\n")
        for name, value in reply.headers:
            parts += (name, b": ", value, b"\r\n")
        if not self.keep_alive:
            parts.append(b"connection: close\r\n")
        parts += (b"\r\n", reply.body)
        self.transport.write(b"".join(parts))
        self.response_complete = True
        self.message_event.set()
        if not self.keep_alive:
            self.transport.close()
        self.on_response()
