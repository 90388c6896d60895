"""Subgraphs fast enough that a benchmark measures the gateways, not them: each answer is
computed once by the real test subgraph and then replayed from memory for the same body.

    uv run python bench/gateway/fast_subgraphs.py --set party --ports 5101,5102,5103
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

import httptools
import orjson
import uvloop
from graphql import graphql_sync

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "gateway" / "tests"))

from gateway_testkit.federated import Subgraph
from gateway_testkit.fixtures import SUBGRAPH_SETS
from gateway_testkit.party import PartyData, party_subgraphs
from gateway_testkit.serving import _resolver_for, _type_of


class Replayer:
    def __init__(self, subgraph: Subgraph) -> None:
        self.subgraph = subgraph
        self.resolver = _resolver_for(subgraph)
        self.answers: dict[bytes, bytes] = {}

    def answer(self, body: bytes) -> bytes:
        found = self.answers.get(body)
        if found is None:
            payload = orjson.loads(body)
            result = graphql_sync(
                self.subgraph.schema,
                payload["query"],
                variable_values=payload.get("variables"),
                field_resolver=self.resolver,
                type_resolver=_type_of,
            )
            response: dict[str, Any] = {"data": result.data}
            if result.errors:
                response["errors"] = [e.formatted for e in result.errors]
            found = self.answers[body] = orjson.dumps(response)
        return found


class HttpConnection(asyncio.Protocol):
    def __init__(self, replayer: Replayer) -> None:
        self.replayer = replayer
        self.parser = httptools.HttpRequestParser(self)
        self.body: list[bytes] = []
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            if self.transport is not None:
                self.transport.close()

    def on_message_begin(self) -> None:
        self.body = []

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        answer = self.replayer.answer(b"".join(self.body))
        head = (
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
            + str(len(answer)).encode()
            + b"\r\n\r\n"
        )
        if self.transport is not None:
            self.transport.write(head + answer)


async def serve(set_name: str, ports: list[int]) -> None:
    sets = {**SUBGRAPH_SETS, "party-20": lambda: party_subgraphs(PartyData(20))}
    subgraphs = sets[set_name]()
    loop = asyncio.get_running_loop()
    for subgraph, port in zip(subgraphs, ports, strict=True):
        replayer = Replayer(subgraph)
        await loop.create_server(
            lambda r=replayer: HttpConnection(r), "127.0.0.1", port, backlog=1024
        )
        print(f"{subgraph.name} http://127.0.0.1:{port}/graphql", flush=True)
    print("ready", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", default="party")
    parser.add_argument("--ports", required=True)
    args = parser.parse_args()
    uvloop.run(serve(args.set, [int(p) for p in args.ports.split(",")]))


if __name__ == "__main__":
    main()
