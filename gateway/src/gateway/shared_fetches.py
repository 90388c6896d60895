"""Identical query fetches in flight at the same time share one subgraph request
(GATEWAY_SHARE_FETCHES), as Hive Router (`traffic_shaping.all.dedupe_enabled`, on by default)
and Hive Gateway do.

Identical: the same URL, the same body (document and variables) and the same headers but the
request id — so the same caller, whose identity token is one of the headers (one token per
caller: GATEWAY_IDENTITY_PER_REQUEST=false). Mutations are never shared. Each request parses the
shared answer itself: nothing a request's executor changes reaches another. The subgraph sees
the first request's `x-request-id` only, and logs one read for them all."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from partyorg_logs.traces import TRACE_HEADERS

from gateway.http_pool import SubgraphConnectionError

Answer = tuple[int, bytes]
Post = Callable[[str, bytes, Mapping[str, str], float], Awaitable[Answer]]
_Key = tuple[str, bytes, tuple[tuple[str, str], ...]]

REQUEST_ID = "x-request-id"
# a request's own, not the answer's: fetches alike but for them are shared
_OWN_HEADERS = frozenset((REQUEST_ID, *TRACE_HEADERS))


def _expire(waiter: asyncio.Future[Answer]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


class SharedFetches:
    def __init__(self, post: Post) -> None:
        self.post = post
        self.waiting: dict[_Key, list[asyncio.Future[Answer]]] = {}

    async def __call__(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> Answer:
        key = (url, body, tuple(item for item in headers.items() if item[0] not in _OWN_HEADERS))
        followers = self.waiting.get(key)
        if followers is not None:
            loop = asyncio.get_running_loop()
            shared: asyncio.Future[Answer] = loop.create_future()
            followers.append(shared)
            timer = loop.call_later(timeout, _expire, shared)
            try:
                return await shared
            finally:
                timer.cancel()
        self.waiting[key] = followers = []
        try:
            answer = await self.post(url, body, headers, timeout)
        except BaseException as error:
            del self.waiting[key]
            told = (
                error
                if isinstance(error, Exception)
                else SubgraphConnectionError("the shared fetch was cancelled")
            )
            for waiter in followers:
                if not waiter.done():
                    waiter.set_exception(told)
            raise
        del self.waiting[key]
        for waiter in followers:
            if not waiter.done():
                waiter.set_result(answer)
        return answer
