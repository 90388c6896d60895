"""A small GraphQL client for loading the demo through the gateway, and who the demo acts as."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
from kit.identity import Grant, Principal, Role

T = TypeVar("T")

# The demo is loaded by a staff account holding, over the whole tree, the roles its steps need:
# it builds the tree (DISTRICT_STANDING), registers members and runs cases (WARD_COMMITTEE),
# receives transfers and ranks (CELL_SECRETARY), submits workplace results (WORKPLACE_ASSESSOR).
DEMO_LOADER = Principal(
    "demo-loader",
    "demo loader",
    tuple(
        Grant(role)
        for role in (
            Role.DISTRICT_STANDING,
            Role.WARD_COMMITTEE,
            Role.CELL_SECRETARY,
            Role.WORKPLACE_ASSESSOR,
        )
    ),
)


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


class DemoFailed(RuntimeError):
    pass


class DemoGateway:
    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.url = url
        self.client = httpx.AsyncClient(timeout=60, headers=headers or {})

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The data of a successful operation; raises DemoFailed with the errors otherwise."""
        response = await self.client.post(self.url, json={"query": query, "variables": variables})
        body = response.json()
        if body.get("errors"):
            raise DemoFailed(f"{body['errors']}")
        data: dict[str, Any] = body["data"]
        return data

    async def eventually(
        self, check: Callable[[], Awaitable[T]], timeout: float = 30.0, interval: float = 0.2
    ) -> T:
        """Poll until `check` returns a truthy value without raising (events take a moment)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            try:
                result = await check()
                if result:
                    return result
            except (DemoFailed, AssertionError):
                if asyncio.get_running_loop().time() > deadline:
                    raise
            if asyncio.get_running_loop().time() > deadline:
                raise DemoFailed(f"gave up waiting after {timeout}s")
            await asyncio.sleep(interval)

    async def close(self) -> None:
        await self.client.aclose()
