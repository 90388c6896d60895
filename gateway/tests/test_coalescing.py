"""GATEWAY_COALESCE_FETCHES (the default): identical query fetches of one caller asked in the
same turn of the event loop go as one subgraph request naming every request it answers (over
HTTP, with a caller's identical requests executed once: test_shared_fetches.py)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from gateway.coalescing import JOINED_REQUEST_IDS, MAX_NAMED, CoalescedFetches

URL = "http://accounts.test/graphql"
BODY = b'{"query":"{ me { id } }"}'
ANSWER = (200, b'{"data":{"me":{"id":"u1"}}}')


class Recorder:
    """Stands for the connection pool: what each subgraph request carried."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[dict[str, str]] = []
        self.fail = fail

    async def __call__(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
    ) -> tuple[int, bytes]:
        self.sent.append(dict(headers))
        await asyncio.sleep(0.01)
        if self.fail:
            raise ConnectionError("the subgraph went away")
        return ANSWER


def caller(request_id: str | None, identity: str = "caller-1") -> dict[str, str]:
    headers = {"x-partyorg-identity": identity}
    if request_id is not None:
        headers["x-request-id"] = request_id
    return headers


async def at_once(fetches: CoalescedFetches, headers: list[dict[str, str]]) -> list[Any]:
    return await asyncio.gather(
        *(fetches(URL, BODY, each, 5.0) for each in headers), return_exceptions=True
    )


def test_fetches_of_one_turn_go_as_one_naming_the_others() -> None:
    post = Recorder()
    answers = asyncio.run(at_once(CoalescedFetches(post), [caller(f"r{i}") for i in range(5)]))
    assert answers == [ANSWER] * 5
    assert len(post.sent) == 1
    assert post.sent[0]["x-request-id"] == "r0"
    assert json.loads(post.sent[0][JOINED_REQUEST_IDS]) == ["r1", "r2", "r3", "r4"]


def test_another_caller_or_no_request_id_goes_alone() -> None:
    post = Recorder()
    headers = [caller("r0"), caller("r1", identity="caller-2"), caller(None), caller(None)]
    answers = asyncio.run(at_once(CoalescedFetches(post), headers))
    assert answers == [ANSWER] * 4
    assert len(post.sent) == 4
    assert all(JOINED_REQUEST_IDS not in sent for sent in post.sent)


def test_a_later_turns_fetch_is_not_joined() -> None:
    post = Recorder()
    fetches = CoalescedFetches(post)

    async def one_then_another() -> None:
        first = asyncio.ensure_future(fetches(URL, BODY, caller("r0"), 5.0))
        await asyncio.sleep(0.001)  # the first has been sent and is waiting for its answer
        assert await fetches(URL, BODY, caller("r1"), 5.0) == ANSWER
        assert await first == ANSWER

    asyncio.run(one_then_another())
    assert [sent["x-request-id"] for sent in post.sent] == ["r0", "r1"]


def test_a_failed_fetch_fails_every_request_joined_to_it() -> None:
    answers = asyncio.run(
        at_once(CoalescedFetches(Recorder(fail=True)), [caller("a"), caller("b")])
    )
    assert [type(answer) for answer in answers] == [ConnectionError, ConnectionError]


def test_no_more_than_max_named_requests_are_named_by_one_fetch() -> None:
    post = Recorder()
    headers = [caller(f"r{i}") for i in range(MAX_NAMED + 2)]
    answers = asyncio.run(at_once(CoalescedFetches(post), headers))
    assert answers == [ANSWER] * (MAX_NAMED + 2)
    joined = [
        json.loads(sent[JOINED_REQUEST_IDS]) for sent in post.sent if JOINED_REQUEST_IDS in sent
    ]
    assert [len(ids) for ids in joined] == [MAX_NAMED - 1]
    assert len(post.sent) == 3  # the joined one and the two that found it full


def test_fetches_of_requests_already_joined_name_all_of_them() -> None:
    post = Recorder()
    first = {**caller("r0"), JOINED_REQUEST_IDS: '["r1", "r2"]'}
    second = {**caller("r3"), JOINED_REQUEST_IDS: '["r4"]'}
    answers = asyncio.run(at_once(CoalescedFetches(post), [first, second, caller("r5")]))
    assert answers == [ANSWER] * 3
    assert [sent["x-request-id"] for sent in post.sent] == ["r0"]
    assert json.loads(post.sent[0][JOINED_REQUEST_IDS]) == ["r1", "r2", "r3", "r4", "r5"]


def test_a_request_with_less_time_left_stops_waiting_for_the_fetch_it_joined() -> None:
    class Slow(Recorder):
        async def __call__(
            self, url: str, body: bytes, headers: Mapping[str, str], timeout: float
        ) -> tuple[int, bytes]:
            await asyncio.sleep(0.3)
            return await super().__call__(url, body, headers, timeout)

    fetches = CoalescedFetches(Slow())

    async def both() -> list[Any]:
        return await asyncio.gather(
            fetches(URL, BODY, caller("r0"), 5.0),
            fetches(URL, BODY, caller("r1"), 0.05),
            return_exceptions=True,
        )

    first, second = asyncio.run(both())
    assert first == ANSWER
    assert isinstance(second, TimeoutError)
