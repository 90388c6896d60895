"""Identical work asked in the same turn of the event loop is done once for everyone who asked,
and the subgraphs are told every request it answers (GATEWAY_COALESCE_FETCHES, on by default).

Under load many requests are read from their sockets in one turn of the loop. Two levels:
- a caller's identical queries (the same text, operation name and variables, and the same
  headers for the subgraphs but the request's own — its id and trace headers — so the same
  caller, whose identity token is one of them) are executed once (Engine.run): the plan, the
  fetches, the shaping and the answer are shared, and each request still gets its own reply,
  metrics and log line;
- identical query fetches (the same URL, body and headers but the request's own) go as one
  subgraph request (CoalescedFetches), whether their requests were alike or not.

The first asker waits that one turn, the others join it, and the subgraph request that goes
carries the first's `x-request-id` and the others' in `x-partyorg-joined-request-ids`, a JSON
array. The subgraph writes its personal-data access log entries once for each of them
(kit.access_log), so every request keeps its trail — unlike fetches shared once in flight
(shared_fetches.py), which a subgraph cannot learn of after it was asked. Requests that joined
stay together through the plan: the answer reaches them in one turn, and so do their next
fetches.

Work without a request id is never joined (the subgraph could not name the requests it
answers), nor are mutations (each the client sends must run). A fetch's answer is parsed by
each request: nothing a request's executor changes reaches another; a shared request's answer
is only read once made."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import Generic, TypeVar

import orjson
from partyorg_logs.traces import TRACE_HEADERS

from gateway.http_pool import SubgraphConnectionError

Answer = tuple[int, bytes]
Post = Callable[[str, bytes, Mapping[str, str], float], Awaitable[Answer]]
Value = TypeVar("Value")

REQUEST_ID = "x-request-id"
JOINED_REQUEST_IDS = "x-partyorg-joined-request-ids"
MAX_NAMED = 101  # requests named by one subgraph request at most (kit.access_log reads as many)
# a request's own, not its answer's: work alike but for them is joined
_OWN_HEADERS = frozenset((REQUEST_ID, JOINED_REQUEST_IDS, *TRACE_HEADERS))


def shared_headers(headers: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The headers that make work alike: all but a request's own."""
    return tuple(item for item in headers.items() if item[0] not in _OWN_HEADERS)


def names(headers: Mapping[str, str]) -> list[str] | None:
    """The requests these headers speak for, or None without a request id."""
    request_id = headers.get(REQUEST_ID)
    if request_id is None:
        return None
    joined = headers.get(JOINED_REQUEST_IDS)
    return [request_id, *orjson.loads(joined)] if joined else [request_id]


def naming(headers: Mapping[str, str], named: list[str]) -> dict[str, str]:
    """`headers` speaking for the requests `named`, the first one's id their own."""
    sent = {name: value for name, value in headers.items() if name != JOINED_REQUEST_IDS}
    sent[REQUEST_ID] = named[0]
    if len(named) > 1:
        sent[JOINED_REQUEST_IDS] = orjson.dumps(named[1:]).decode()
    return sent


def _expire(waiter: asyncio.Future[Value]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


class _Joined(Generic[Value]):
    """The requests that joined a piece of work while it waited for its turn."""

    __slots__ = ("named", "timeout", "waiters")

    def __init__(self, named: list[str], timeout: float) -> None:
        self.named = named
        self.timeout = timeout  # the first asker's, by which its work ends
        self.waiters: list[asyncio.Future[Value]] = []

    async def wait(self, named: list[str], timeout: float) -> Value:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Value] = loop.create_future()
        self.named += named
        self.waiters.append(waiter)
        if timeout >= self.timeout:  # the first asker's own timeout ends the wait in time
            return await waiter
        timer = loop.call_later(timeout, _expire, waiter)
        try:
            return await waiter
        finally:
            timer.cancel()

    def tell(self, value: Value | None, error: BaseException | None = None) -> None:
        if error is not None and not isinstance(error, Exception):
            error = SubgraphConnectionError("the joined work was cancelled")
        for waiter in self.waiters:
            if waiter.done():
                continue
            if error is not None:
                waiter.set_exception(error)
            else:
                waiter.set_result(value)  # type: ignore[arg-type]


class Joining(Generic[Value]):
    """Work under one key asked in one turn, done once: `work` gets every request named and
    must end within the first asker's `timeout`."""

    def __init__(self) -> None:
        self.forming: dict[Hashable, _Joined[Value]] = {}

    async def __call__(
        self,
        key: Hashable,
        named: list[str],
        timeout: float,
        work: Callable[[list[str]], Awaitable[Value]],
    ) -> Value:
        forming = self.forming.get(key)
        if forming is not None:
            if len(forming.named) + len(named) <= MAX_NAMED:
                return await forming.wait(named, timeout)
            return await work(named)  # full: this one goes alone
        joined: _Joined[Value] = _Joined(list(named), timeout)
        self.forming[key] = joined
        try:
            try:
                await asyncio.sleep(0)  # one turn: the requests read in this one join
            finally:
                del self.forming[key]
            value = await work(joined.named)
        except BaseException as error:
            joined.tell(None, error)
            raise
        joined.tell(value)
        return value


class CoalescedFetches:
    """Identical query fetches of one turn as one subgraph request naming all their requests."""

    def __init__(self, post: Post) -> None:
        self.post = post
        self.joining = Joining[Answer]()

    async def __call__(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> Answer:
        named = names(headers)
        if named is None:
            return await self.post(url, body, headers, timeout)

        async def post(everyone: list[str]) -> Answer:
            sent = headers if everyone == named else naming(headers, everyone)
            return await self.post(url, body, sent, timeout)

        return await self.joining((url, body, shared_headers(headers)), named, timeout, post)
