"""An event is checked against the message of its channel in the document of the service that
owns its type: a wrong type or value, a missing field and a field the schema does not name are
violations, and so is a type no document publishes."""

import json
from pathlib import Path
from typing import Any

import pytest
from kit.event_contracts import EventCheck, EventContracts, read_check
from kit.events import new_event, to_wire

DOCUMENT = """
asyncapi: 3.0.0
info: {title: partyorg members events, version: 1.0.0}
channels:
  MemberMoved:
    address: partyorg.members.member.moved.v1
    messages:
      MemberMoved: {$ref: '#/components/messages/MemberMoved'}
  CellClosed:
    address: partyorg.organisations.cell.closed.v1
    messages:
      CellClosed: {$ref: '#/components/messages/CellClosed'}
components:
  messages:
    MemberMoved:
      payload:
        type: object
        required: [id, type, data]
        properties:
          type: {const: partyorg.members.member.moved.v1}
          data: {$ref: '#/components/schemas/MemberMovedData'}
    CellClosed:
      payload: {type: object, required: [never]}
  schemas:
    MemberMovedData:
      type: object
      required: [memberId, standing, movedOn]
      additionalProperties: false
      properties:
        memberId: {type: string}
        standing: {type: string, enum: [OFFICIAL, PROBATIONARY]}
        movedOn: {type: string, format: date}
"""
MOVED = "partyorg.members.member.moved.v1"


@pytest.fixture
def contracts(tmp_path: Path) -> EventContracts:
    folder = tmp_path / "services" / "members"
    folder.mkdir(parents=True)
    (folder / "asyncapi.yaml").write_text(DOCUMENT)
    return EventContracts.of_repository(tmp_path)


def messages(contracts: EventContracts, type: str, data: dict[str, Any]) -> list[str]:
    event = json.loads(to_wire(new_event(type, "/partyorg/members", data)))
    return [f"{v.path}: {v.message}" for v in contracts.violations(event)]


def test_an_event_as_documented_has_no_violation(contracts: EventContracts) -> None:
    data = {"memberId": "m-1", "standing": "OFFICIAL", "movedOn": "2019-10-15"}
    assert messages(contracts, MOVED, data) == []


def test_a_missing_field_an_extra_one_a_value_out_of_its_set_and_a_bad_date_are_violations(
    contracts: EventContracts,
) -> None:
    data = {"standing": "RETIRED", "movedOn": "15/10/2019", "cardNumber": "01.777"}
    found = messages(contracts, MOVED, data)
    assert any("'memberId' is a required property" in m for m in found)
    assert any("'cardNumber' was unexpected" in m for m in found)
    assert any(m.startswith("data.standing: 'RETIRED' is not one of") for m in found)
    assert any(m.startswith("data.movedOn: '15/10/2019' is not a 'date'") for m in found)


def test_only_the_owners_document_rules_a_type_and_an_unknown_type_is_a_violation(
    contracts: EventContracts,
) -> None:
    # the members document names an organisations event (as it reads it): not its contract
    assert "partyorg.organisations.cell.closed.v1" not in contracts.validators
    assert messages(contracts, "partyorg.members.member.vanished.v1", {}) == [
        ": no asyncapi.yaml publishes this type"
    ]
    assert messages(contracts, "partyorg.test.anything.v1", {"n": 1}) == []


def test_the_check_records_each_type_once_and_every_violation(
    contracts: EventContracts, tmp_path: Path
) -> None:
    check = EventCheck(tmp_path / "events.jsonl", contracts, "members")
    good = {"memberId": "m-1", "standing": "OFFICIAL", "movedOn": "2019-10-15"}
    for data in (good, good, {**good, "standing": "RETIRED"}):
        check.check(to_wire(new_event(MOVED, "/partyorg/members", data)))
    checked, violations = read_check(tmp_path / "events.jsonl")
    assert checked == {MOVED}
    [violation] = violations
    assert (violation.type, violation.path) == (MOVED, "data.standing")
