"""Sends subgraph requests over pooled keep-alive connections, timing each and turning failures
into GraphQL errors so the rest of the plan can still answer."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import orjson
from graphql import OperationType

from gateway.coalescing import CoalescedFetches
from gateway.http_pool import HttpPool, SubgraphConnectionError
from gateway.plan import Fetch
from gateway.shared_fetches import SharedFetches
from gateway.traces import fetching

JSON = dict[str, Any]
FetchObserver = Callable[[str, float, bool], None]

log = logging.getLogger("gateway.fetch")

_JSON_HEADERS = {"content-type": "application/json", "accept": "application/json"}


class SubgraphClient:
    def __init__(
        self,
        urls: Mapping[str, str],
        timeouts: Mapping[str, float],
        default_timeout: float,
        observe: FetchObserver | None = None,
        share_fetches: bool = False,
        coalesce_fetches: bool = False,
    ) -> None:
        self.urls = dict(urls)
        self.timeouts = dict(timeouts)
        self.default_timeout = default_timeout
        self.observe = observe
        self.pool = HttpPool()
        # queries' fetches shared in flight (unlogged), else joined within a turn, or neither
        self.joined: SharedFetches | CoalescedFetches | None = None
        if share_fetches:
            self.joined = SharedFetches(self._post)
        elif coalesce_fetches:
            self.joined = CoalescedFetches(self._post)
        self.http = httpx.AsyncClient(
            limits=httpx.Limits(max_connections=512, max_keepalive_connections=256),
            timeout=default_timeout,
        )

    async def aclose(self) -> None:
        self.pool.close()
        await self.http.aclose()

    async def readiness(self, timeout: float = 2.0) -> dict[str, bool]:
        """Each subgraph's answer to its /readyz (beside its /graphql), asked at once."""

        async def ready(url: str) -> bool:
            try:
                answer = await self.http.get(
                    str(httpx.URL(url).copy_with(path="/readyz")), timeout=timeout
                )
            except httpx.HTTPError:
                return False
            return answer.status_code == 200

        names = sorted(self.urls)
        answers = await asyncio.gather(*(ready(self.urls[name]) for name in names))
        return dict(zip(names, answers, strict=True))

    async def send(
        self,
        fetch: Fetch,
        variables: JSON,
        headers: Mapping[str, str],
        deadline: float | None = None,
    ) -> JSON:
        """One fetch, given at most its subgraph's timeout and what is left before `deadline`
        (time.monotonic()), the end of the whole request: past it, nothing more is sent."""
        graph = fetch.graph
        url = self.urls.get(graph)
        started = time.perf_counter()
        failed = True
        timeout = self.timeouts.get(graph, self.default_timeout)
        cut_short = False
        if deadline is not None and deadline - time.monotonic() < timeout:
            timeout, cut_short = deadline - time.monotonic(), True
        try:
            if url is None:
                return _failure(graph, f"no URL for subgraph {graph}")
            if timeout <= 0:
                return _failure(graph, f"subgraph {graph} not asked: the request's time was up")
            body = orjson.dumps({"query": fetch.document, "variables": variables})
            post = self._post
            if self.joined is not None and fetch.operation_type == OperationType.QUERY:
                post = self.joined
            with fetching(graph, fetch.id, headers) as sent_headers:
                status, content = await post(url, body, sent_headers, timeout)
            try:
                parsed = orjson.loads(content)
            except orjson.JSONDecodeError:
                return _failure(graph, f"HTTP {status}: the response is not JSON")
            if not isinstance(parsed, dict) or ("data" not in parsed and "errors" not in parsed):
                return _failure(graph, f"HTTP {status}: not a GraphQL response")
            failed = status >= 400 and parsed.get("data") is None
            return parsed
        except (httpx.TimeoutException, TimeoutError):
            if cut_short:
                return _failure(graph, f"subgraph {graph} timed out: the request's time was up")
            return _failure(graph, f"subgraph {graph} timed out")
        except (httpx.HTTPError, SubgraphConnectionError) as error:
            return _failure(graph, f"subgraph {graph} is unreachable: {error.__class__.__name__}")
        finally:
            elapsed = time.perf_counter() - started
            if self.observe is not None:
                self.observe(graph, elapsed, failed)
            if log.isEnabledFor(logging.INFO):
                log.info(
                    "subgraph fetch",
                    extra={
                        "subgraph": graph,
                        "fetch_id": fetch.id,
                        "duration_ms": round(elapsed * 1000, 3),
                        "failed": failed,
                        "request_id": headers.get("x-request-id"),
                    },
                )

    async def _post(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> tuple[int, bytes]:
        request_headers = {**headers, **_JSON_HEADERS}
        if url.startswith("http://"):
            return await self.pool.post(url, body, request_headers, timeout)
        response = await self.http.post(url, content=body, headers=request_headers, timeout=timeout)
        return response.status_code, response.content


def _failure(graph: str, message: str) -> JSON:
    return {
        "data": None,
        "errors": [
            {
                "message": message,
                "extensions": {"code": "DOWNSTREAM_SERVICE_ERROR", "serviceName": graph},
            }
        ],
    }
