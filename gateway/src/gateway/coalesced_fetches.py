"""Identical query fetches asked in the same turn of the event loop go to the subgraph as one
request, which names every request it answers (GATEWAY_COALESCE_FETCHES, on by default).

Under load many requests are read from their sockets in one turn of the loop; when they ask
the same thing of a subgraph (the same URL, body and headers but their own request id and
trace headers — so the same caller, whose identity token is one of the headers), the first
waits that one turn, the others join it, and one request goes: its `x-request-id` is the
first's, and `x-partyorg-joined-request-ids` lists the others' as a JSON array. The subgraph
writes its personal-data access log entries once for each of them (kit.access_log), so every
request keeps its trail, unlike fetches shared once in flight (shared_fetches.py), which a
subgraph cannot learn of after it was asked. Requests that joined stay together through the
plan: the answer reaches them in one turn, and so do their next fetches.

A fetch without a request id is never joined (the subgraph could not name the requests it
answers), nor are mutations (the client decides). Each request parses the answer itself:
nothing a request's executor changes reaches another."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

import orjson

from gateway.http_pool import SubgraphConnectionError
from gateway.traces import TRACE_HEADERS

Answer = tuple[int, bytes]
Post = Callable[[str, bytes, Mapping[str, str], float], Awaitable[Answer]]
_Key = tuple[str, bytes, tuple[tuple[str, str], ...]]

REQUEST_ID = "x-request-id"
JOINED_REQUEST_IDS = "x-partyorg-joined-request-ids"
MAX_JOINED = 100  # requests joined to one fetch at most (kit.access_log reads as many)
# a request's own, not the answer's: fetches alike but for them are joined
_OWN_HEADERS = frozenset((REQUEST_ID, *TRACE_HEADERS))


def _expire(waiter: asyncio.Future[Answer]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


class _Joined:
    """The requests that joined a fetch while it waited for its turn."""

    __slots__ = ("request_ids", "waiters")

    def __init__(self) -> None:
        self.request_ids: list[str] = []
        self.waiters: list[asyncio.Future[Answer]] = []

    async def wait(self, request_id: str, timeout: float) -> Answer:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Answer] = loop.create_future()
        self.request_ids.append(request_id)
        self.waiters.append(waiter)
        timer = loop.call_later(timeout, _expire, waiter)
        try:
            return await waiter
        finally:
            timer.cancel()

    def tell(self, answer: Answer | None, error: BaseException | None = None) -> None:
        if error is not None and not isinstance(error, Exception):
            error = SubgraphConnectionError("the joined fetch was cancelled")
        for waiter in self.waiters:
            if waiter.done():
                continue
            if error is not None:
                waiter.set_exception(error)
            else:
                waiter.set_result(answer)  # type: ignore[arg-type]


class CoalescedFetches:
    def __init__(self, post: Post) -> None:
        self.post = post
        self.forming: dict[_Key, _Joined] = {}

    async def __call__(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> Answer:
        request_id = headers.get(REQUEST_ID)
        if request_id is None:
            return await self.post(url, body, headers, timeout)
        key = (url, body, tuple(item for item in headers.items() if item[0] not in _OWN_HEADERS))
        forming = self.forming.get(key)
        if forming is not None and len(forming.request_ids) < MAX_JOINED:
            return await forming.wait(request_id, timeout)
        if forming is not None:  # full: this one goes alone
            return await self.post(url, body, headers, timeout)
        self.forming[key] = joined = _Joined()
        try:
            try:
                await asyncio.sleep(0)  # one turn: the requests read in this one join
            finally:
                del self.forming[key]
            if joined.request_ids:
                headers = {**headers, JOINED_REQUEST_IDS: orjson.dumps(joined.request_ids).decode()}
            answer = await self.post(url, body, headers, timeout)
        except BaseException as error:
            joined.tell(None, error)
            raise
        joined.tell(answer)
        return answer
