"""POST /graphql answered straight from the HTTP parser (http_protocol.py), over raw sockets:
keep-alive, pipelining, bodies in pieces, refusals, HTTP/1.0, and what still goes through ASGI."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import orjson
import pytest
from gateway.graphql_http import GraphQLEndpoint
from gateway_testkit.catalog import catalog_subgraphs
from gateway_testkit.fixtures import supergraph_of
from gateway_testkit.harness import GatewayUnderTest, run_gateway
from gateway_testkit.identity import staff_token
from gateway_testkit.serving import serve_subgraphs

ORIGIN = "https://app.example.org"
AUTHORIZATION = f"Bearer {staff_token()}"
ME = {"data": {"me": {"name": "Ada Lovelace"}}}


@pytest.fixture(scope="module")
def gateway() -> Iterator[GatewayUnderTest]:
    with (
        serve_subgraphs(catalog_subgraphs()) as running,
        run_gateway(
            supergraph_of("catalog"), running, cors_origins=[ORIGIN], max_body_bytes=4000
        ) as gateway,
    ):
        yield gateway


def request(
    body: bytes,
    *,
    version: str = "1.1",
    path: str = "/graphql",
    extra: str = "",
    content_length: int | None = None,
) -> bytes:
    length = len(body) if content_length is None else content_length
    return (
        f"POST {path} HTTP/{version}\r\nhost: gateway\r\nauthorization: {AUTHORIZATION}\r\n"
        f"content-type: application/json\r\ncontent-length: {length}\r\n{extra}\r\n"
    ).encode() + body


def query(text: str) -> bytes:
    return orjson.dumps({"query": text})


class Connection:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        self.buffer = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        self.buffer += chunk
        return bool(chunk)

    def response(self) -> tuple[int, dict[str, str], bytes]:
        """The next final response (an interim `100 Continue` is skipped)."""
        while True:
            while b"\r\n\r\n" not in self.buffer:
                assert self._fill(), "the connection closed before a response"
            head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
            status_line, *lines = head.decode("latin-1").split("\r\n")
            if not status_line.startswith("HTTP/1.1 1"):
                break
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers["content-length"])
        while len(self.buffer) < length:
            assert self._fill(), "the connection closed inside a body"
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return int(status_line.split()[1]), headers, body

    def closed(self) -> bool:
        try:
            return not self._fill() and not self.buffer
        except ConnectionResetError:
            return True

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def connection(gateway: GatewayUnderTest) -> Iterator[Connection]:
    opened = Connection(gateway.url)
    yield opened
    opened.close()


def test_post_graphql_is_answered_without_the_asgi_endpoint(
    gateway: GatewayUnderTest, connection: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refuse(*_: object) -> None:
        raise AssertionError("POST /graphql went through ASGI")

    monkeypatch.setattr(GraphQLEndpoint, "reply", refuse)
    connection.send(request(query("{ me { name } }"), extra="x-request-id: req-7\r\n"))
    status, headers, body = connection.response()
    assert (status, orjson.loads(body)) == (200, ME)
    assert headers["content-type"] == "application/json"
    assert headers["x-request-id"] == "req-7"
    assert "date" in headers
    assert "connection" not in headers


def test_a_connection_is_kept_alive_across_requests(connection: Connection) -> None:
    for name in ("{ me { name } }", "{ me { id } }", "{ me { name } }"):
        connection.send(request(query(name)))
        status, _, body = connection.response()
        assert status == 200
        assert "errors" not in orjson.loads(body)


def test_pipelined_requests_are_answered_in_order(connection: Connection) -> None:
    texts = ["{ me { name } }", "{ topProducts { upc } }", "{ me { id } }", "{ me { name } }"]
    connection.send(b"".join(request(query(text)) for text in texts))
    answers = [orjson.loads(connection.response()[2]) for _ in texts]
    assert answers[0] == ME
    assert list(answers[1]["data"]) == ["topProducts"]
    assert list(answers[2]["data"]["me"]) == ["id"]
    assert answers[3] == ME


def test_a_body_arriving_in_pieces_is_read_whole(connection: Connection) -> None:
    whole = request(query("{ me { name } }"))
    for offset in range(0, len(whole), 7):
        connection.send(whole[offset : offset + 7])
    status, _, body = connection.response()
    assert (status, orjson.loads(body)) == (200, ME)


def test_a_chunked_body_is_read_whole(connection: Connection) -> None:
    body = query("{ me { name } }")
    head = (
        f"POST /graphql HTTP/1.1\r\nhost: gateway\r\nauthorization: {AUTHORIZATION}\r\n"
        "transfer-encoding: chunked\r\n\r\n"
    ).encode()
    chunks = b"".join(
        b"%x\r\n%s\r\n" % (len(body[i : i + 5]), body[i : i + 5]) for i in range(0, len(body), 5)
    )
    connection.send(head + chunks + b"0\r\n\r\n")
    status, _, answer = connection.response()
    assert (status, orjson.loads(answer)) == (200, ME)


def test_bodies_over_the_limit_are_refused_declared_or_chunked(
    gateway: GatewayUnderTest, connection: Connection
) -> None:
    gateway.clear_logs()
    big = orjson.dumps({"query": "{ me { name } }", "variables": {"padding": "x" * 5000}})
    connection.send(request(big))
    assert connection.response()[0] == 413
    chunked = (
        f"POST /graphql HTTP/1.1\r\nhost: gateway\r\nauthorization: {AUTHORIZATION}\r\n"
        "transfer-encoding: chunked\r\n\r\n"
    ).encode() + b"".join(
        b"400\r\n" + big[i : i + 1024].ljust(1024) + b"\r\n" for i in range(0, 4096, 1024)
    )
    connection.send(chunked + b"800\r\n" + b" " * 2048 + b"\r\n0\r\n\r\n")
    assert connection.response()[0] == 413
    assert gateway.subgraph_calls() == 0
    connection.send(request(query("{ me { name } }")))  # the connection still serves
    assert orjson.loads(connection.response()[2]) == ME


def test_bad_bodies_and_callers_are_refused_with_their_codes(connection: Connection) -> None:
    connection.send(request(b"{not json"))
    status, _, body = connection.response()
    assert status == 400
    assert orjson.loads(body)["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    connection.send(request(b"[1, 2]"))
    assert connection.response()[0] == 400
    connection.send(request(query("{ me { name } }")).replace(AUTHORIZATION.encode(), b"Bearer x"))
    status, headers, body = connection.response()
    assert status == 401
    assert headers["www-authenticate"].startswith('Bearer realm="partyorg"')
    assert orjson.loads(body)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_http_1_0_and_connection_close_are_answered_then_closed(gateway: GatewayUnderTest) -> None:
    for variant in (
        request(query("{ me { name } }"), version="1.0"),
        request(query("{ me { name } }"), extra="connection: close\r\n"),
    ):
        connection = Connection(gateway.url)
        connection.send(variant)
        status, headers, body = connection.response()
        assert (status, orjson.loads(body)) == (200, ME)
        assert headers["connection"] == "close"
        assert connection.closed()
        connection.close()


def test_a_client_leaving_mid_body_leaves_the_gateway_serving(gateway: GatewayUnderTest) -> None:
    leaving = Connection(gateway.url)
    leaving.send(request(b'{"query": "{ me', content_length=200))
    leaving.close()
    assert gateway.query("{ me { name } }") == ME


def test_cross_origin_posts_and_other_routes_still_go_through_asgi(
    connection: Connection,
) -> None:
    connection.send(request(query("{ me { name } }"), extra=f"origin: {ORIGIN}\r\n"))
    status, headers, body = connection.response()
    assert (status, orjson.loads(body)) == (200, ME)
    assert headers["access-control-allow-origin"] == ORIGIN
    connection.send(b"GET /health HTTP/1.1\r\nhost: gateway\r\n\r\n")
    status, _, body = connection.response()
    assert (status, orjson.loads(body)["status"]) == (200, "ok")
    connection.send(request(query("{ me { name } }"), path="/graphql?x=1"))
    assert orjson.loads(connection.response()[2]) == ME
    connection.send(request(query("{ me { name } }"), extra="expect: 100-continue\r\n"))
    assert connection.buffer == b""
    assert orjson.loads(connection.response()[2]) == ME
