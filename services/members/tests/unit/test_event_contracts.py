"""The events the code publishes are the ones asyncapi.yaml documents, field for field."""

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from kit.event_contracts import personal_data
from members import consumed_events, events
from members.domain import Checklist, DissolutionCase, PersonKind, TransferState
from members.domain.reception_corrections import reception_corrected
from members.domain.restructuring import OrganisationChange, RestructuringDecision
from members_factories import candidate, cell, member
from test_transfers import internal

SPEC = yaml.safe_load((Path(__file__).parents[2] / "asyncapi.yaml").read_text())


def published() -> list[dict[str, Any]]:
    someone = member()
    transfer = internal().with_destination(cell("tdp1"))
    introduced = transfer.introduced("1-GGT", date(2019, 10, 1), lambda _: False, Checklist())
    received = introduced.received(date(2019, 10, 8))
    rehoming = replace(received, person_kind=PersonKind.CANDIDATE, person_id="c1")
    case = DissolutionCase(id="case", cell_id="agency", ward_committee_id="ward")
    return [
        events.member_registered(someone),
        events.member_updated(someone),
        events.member_updated(someone, handed_over()),
        events.transfer_created(transfer),
        events.transfer_created(replace(rehoming, state=TransferState.NEEDS_DESTINATION)),
        events.transfer_destination_set(transfer),
        events.transfer_introduced(introduced),
        events.transfer_received(received),
        events.reception_corrected(
            reception_corrected(
                received, date(2019, 10, 7), "nhầm ngày", "Bí thư", date(2019, 10, 9)
            )
        ),
        events.transfer_cancelled(transfer.cancelled(date(2019, 10, 2), "chuyển công tác")),
        events.candidate_introduced(candidate()),
        events.candidate_advanced(candidate()),
        events.candidate_rehomed(rehoming),
        events.candidate_updated(candidate(), handed_over()),
        events.candidate_admitted(candidate()),
        events.mentor_assigned(candidate(), someone),
        events.members_relocated(case, 20, 3, date(2019, 10, 8)),
    ]


def handed_over() -> OrganisationChange:
    decision = RestructuringDecision("1234-QĐ/TU", "Bí thư", date(2025, 6, 20), date(2025, 7, 1))
    return OrganisationChange("case", "HAND_OVER", decision, "tdp1", "ward-km", "ward-gv")


def channel_of(event_type: str) -> str:
    [name] = [n for n, c in SPEC["channels"].items() if c["address"] == event_type]
    return str(name)


@pytest.mark.parametrize("event", published(), ids=lambda e: e["type"])
def test_each_published_event_is_documented_field_for_field(event: dict[str, Any]) -> None:
    schema = SPEC["components"]["schemas"][f"{channel_of(event['type'])}Data"]
    documented = set(schema["properties"])
    if {"personKind", "candidateId"} <= documented:  # a transfer names the member or candidate
        person = "candidateId" if event["data"]["personKind"] == "CANDIDATE" else "memberId"
        documented = documented - {"memberId", "candidateId"} | {person}
    elif event["data"].get("personKind") == "CANDIDATE":
        documented = documented - {"memberId"} | {"candidateId"}
    assert set(event["data"]) == documented


def test_every_documented_channel_of_this_service_is_published() -> None:
    ours = {c["address"] for c in SPEC["channels"].values() if ".members." in c["address"]}
    assert ours == {event["type"] for event in published()}


def test_every_consumed_event_type_is_documented() -> None:
    addresses = {c["address"] for c in SPEC["channels"].values()}
    consumed = {
        consumed_events.ORGANISATION_REGISTERED,
        consumed_events.ORGANISATION_UPDATED,
        consumed_events.DISSOLUTION_OPENED,
        consumed_events.DISSOLUTION_DECIDED,
        consumed_events.RESTRUCTURING_COMPLETED,
        consumed_events.RESTRUCTURING_HANDED_OVER,
        consumed_events.TODAY_SET,
    }
    assert consumed <= addresses


def test_the_documented_decision_example_reads_as_a_decision() -> None:
    example = SPEC["components"]["messages"]["DissolutionDecided"]["examples"][0]["payload"]
    decision = consumed_events.decision(example["data"])
    assert decision.case.decided and decision.decided_on == date(2019, 9, 27)
    assert list(decision.overrides.values()) == ["9a2d-gv-tdp05"]


def test_what_asyncapi_marks_personal_is_what_the_public_exchange_leaves_out() -> None:
    marked = personal_data(Path(__file__).parents[2] / "asyncapi.yaml")
    assert marked == {event_type: set(f) for event_type, f in events.PERSONAL_DATA.items()}
