"""The keep-alive connection pool used for plain-HTTP subgraphs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from gateway.http_pool import HttpPool

ANSWER = b'{"data":{"ok":true}}'


@asynccontextmanager
async def server(
    close_after_answer: bool = False, answer: bool = True
) -> AsyncIterator[tuple[str, list[int]]]:
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                await reader.readexactly(length)
                if not answer:
                    await asyncio.Event().wait()
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    + f"content-length: {len(ANSWER)}\r\n\r\n".encode()
                    + ANSWER
                )
                await writer.drain()
                if close_after_answer:
                    writer.close()
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            return

    listening = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/graphql", connections
    finally:
        listening.close()


async def test_sequential_requests_share_one_connection() -> None:
    pool = HttpPool()
    async with server() as (url, connections):
        for _ in range(5):
            assert await pool.post(url, b"{}", {}, 5) == (200, ANSWER)
    pool.close()
    assert len(connections) == 1


async def test_a_connection_the_server_closed_while_idle_is_replaced() -> None:
    pool = HttpPool()
    async with server(close_after_answer=True) as (url, connections):
        for _ in range(3):
            await asyncio.sleep(0)
            assert await pool.post(url, b"{}", {}, 5) == (200, ANSWER)
    pool.close()
    assert len(connections) == 3


async def test_a_subgraph_that_does_not_answer_times_out() -> None:
    pool = HttpPool()
    async with server(answer=False) as (url, _):
        with pytest.raises(TimeoutError):
            await pool.post(url, b"{}", {}, 0.2)
    pool.close()
