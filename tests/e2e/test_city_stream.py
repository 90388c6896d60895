"""A city system follows the public event stream (issue 17): the ward's staff register and
move members through the gateway, the city's HR system pushes a month's workplace rankings
with an INTEGRATION token (twice: a resend records nothing new), the ward ranks a member, and
the city system reads the stream from the start of the day with the read-only account — every
workplace_assessment.recorded of that push, once, with the member's cell and ward, and the
members' moves of that day, each with what the city needs to act on it, and nothing personal
in any event of the day: no name, card number, citizen ID or birth date."""

import contextlib
import json
import shutil
import subprocess
import urllib.parse
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from kit.identity import Grant, Role
from kit.settings import ServiceSettings

from examples.city_stream import VIET_NAM, StreamEvent, follow, start_of
from infra.local.suite import Suite
from infra.rabbitmq.users import stream_reader_permissions
from tests.e2e.conftest import ClientFor, Gateway
from tests.e2e.test_evaluations_ranking import CHAIRMAN, SUBMIT, GiangVo, assessment

pytestmark = pytest.mark.e2e

MEMBERS = 40
MOVED = 5
RECORDED = "partyorg.evaluations.workplace_assessment.recorded.v1"
RECEIVED = "partyorg.members.transfer.received.v1"
UPDATED = "partyorg.members.member.updated.v1"
FINALISED = "partyorg.evaluations.evaluation.finalised.v1"
# the fields that would carry personal data, at any depth of an event's data
PERSONAL = {"cardNumber", "dateOfBirth", "citizenId", "residence", "address", "fullName"}
PERSONAL |= {"keyDigests", "assessorName", "submitter", "actor", "signer", "finalisedBy"}
PERSONAL |= {"reopenedBy", "correctedBy", "giverSigner", "receiverSigner", "corrections"}
COMMITTEE = "Ban Thường vụ Đảng ủy phường"  # who finalises, as ward.rank names it


@contextlib.contextmanager
def city_account(suite: Suite) -> Iterator[str]:
    """An account with the rights of compose's `city` on this suite's stream."""
    if shutil.which("rabbitmqctl") is None:
        pytest.skip("needs the local RabbitMQ's rabbitmqctl (infra/local/infra.sh up)")
    user, password = f"city-e2e-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    granted = stream_reader_permissions(suite.exchange)

    def rabbitmqctl(*args: str) -> None:
        subprocess.run(["rabbitmqctl", "-q", *args], check=True, timeout=60, capture_output=True)

    broker = urllib.parse.urlsplit(ServiceSettings().amqp_url)
    rabbitmqctl("add_user", user, password)
    try:
        rabbitmqctl("set_permissions", user, granted.configure, granted.write, granted.read)
        yield f"amqp://{user}:{password}@{broker.hostname}:{broker.port or 5672}/"
    finally:
        rabbitmqctl("delete_user", user)


async def test_a_city_system_finds_the_pushed_rankings_and_the_days_moves_in_the_stream(
    suite: Suite, gateway: Gateway, client_for: ClientFor
) -> None:
    ward = await GiangVo(gateway).build()
    citizen_id = f"{int(ward.tag, 16) % 10**6:06d}000017"
    members = [await ward.member("CQ", "CIVIL_SERVANT") for _ in range(MEMBERS - 1)]
    members.append(await ward.member("CQ", "CIVIL_SERVANT", citizen_id=citizen_id))
    for member in members[:MOVED]:
        await ward.move(member, "TDP01", "2019-10-15")
    for member in members[:MOVED]:  # the evaluations service learns of the moves by events
        await ward.until_evaluated_by(member, "2019-10", "TDP01")

    city_hr = client_for(grants=[Grant(Role.INTEGRATION, ward.ids["GV"])], name="city HR")
    submitter = f"city-hr-{ward.tag}"
    push = {
        "submitter": submitter,
        "items": [assessment(f"{m}-2019-10", m, "2019-10", "GOOD") for m in members],
    }
    first = (await city_hr.execute_ok(SUBMIT, {"input": push}))["submitWorkplaceAssessments"]
    again = (await city_hr.execute_ok(SUBMIT, {"input": push}))["submitWorkplaceAssessments"]
    assert (first["recorded"], first["rejected"]) == (MEMBERS, 0)
    assert (again["recorded"], again["alreadyRecorded"]) == (0, MEMBERS)
    ranked = members[-1]
    await ward.until_evaluated_by(ranked, "2019-10", "CQ")
    finalised = await ward.rank(ranked, "2019-10", "GOOD")
    assert not finalised.get("errors"), finalised

    today = datetime.now(VIET_NAM).date()
    stream = f"{suite.exchange}.stream"
    with city_account(suite) as url:

        async def read() -> list[StreamEvent]:
            events = follow(url, start_of(today), stream=stream, idle_seconds=1.0)
            return [event async for event in events]

        async def the_push_and_the_moves_are_in() -> list[StreamEvent]:
            events = await read()
            pushed = [e for e in events if e.type == RECORDED and data(e)["memberId"] in members]
            received = [e for e in events if e.type == RECEIVED and data(e)["memberId"] in members]
            ranking = [e for e in events if e.type == FINALISED and data(e)["memberId"] == ranked]
            assert len(pushed) >= MEMBERS and len(received) >= MOVED and ranking
            return events

        events = await gateway.eventually(the_push_and_the_moves_are_in, timeout=60)

    assert all(e.time >= start_of(today) for e in events)
    pushed = [data(e) for e in events if e.type == RECORDED and data(e)["memberId"] in members]
    assert sorted(p["memberId"] for p in pushed) == sorted(members)  # each once: resend is safe
    for recorded in pushed:
        assert (recorded["period"], recorded["rating"]) == ("2019-10", "GOOD")
        assert recorded["externalId"] == f"{recorded['memberId']}-2019-10"
        # the cell that evaluates the member for October, and its ward: nothing to call back for
        cell = await ward.evaluated_by(recorded["memberId"], "2019-10")
        assert (recorded["organisationId"], recorded["wardCommitteeId"]) == (cell, ward.ids["GV"])
    assert {p["organisationId"] for p in pushed if p["memberId"] not in members[:MOVED]} == {
        ward.ids["CQ"]
    }

    moves = [data(e) for e in events if e.type == RECEIVED and data(e)["memberId"] in members]
    assert sorted(m["memberId"] for m in moves) == sorted(members[:MOVED])
    for move in moves:
        assert (move["fromOrganisationId"], move["toOrganisationId"]) == (
            ward.ids["CQ"],
            ward.ids["TDP01"],
        )
        assert move["receivedOn"] == "2019-10-15"
    now_in = {
        data(e)["memberId"]: data(e)["organisationId"]
        for e in events
        if e.type == UPDATED and data(e)["memberId"] in members[:MOVED]
    }
    assert now_in == dict.fromkeys(members[:MOVED], ward.ids["TDP01"])

    [rating] = [data(e) for e in events if e.type == FINALISED and data(e)["memberId"] == ranked]
    assert (rating["organisationId"], rating["rating"]) == (ward.ids["CQ"], "GOOD")

    # nothing personal in any event of the day, whoever published it: no such field at any
    # depth, and none of the names, card numbers, citizen ID or birth date this day's story used
    assert not [e.type for e in events if PERSONAL & fields_of(e.event["data"])]
    personal_values = {"1980-05-01", citizen_id, CHAIRMAN, COMMITTEE}
    for n in range(1, ward.cards + 1):
        card = f"{ward.tag}{n:04d}"
        personal_values |= {card, f"Nguyễn Văn {card}"}
    day = json.dumps([e.event for e in events], ensure_ascii=False)
    assert not [value for value in personal_values if value in day]


def data(event: StreamEvent) -> dict[str, Any]:
    payload: dict[str, Any] = event.event["data"]
    return payload


def fields_of(value: Any) -> set[str]:
    """The names of the fields of an event's data, at every depth."""
    if isinstance(value, list):
        return set().union(*map(fields_of, value)) if value else set()
    if isinstance(value, dict):
        return set(value).union(*map(fields_of, value.values()))
    return set()
