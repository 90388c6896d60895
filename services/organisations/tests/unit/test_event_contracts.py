"""The events the code publishes are the ones asyncapi.yaml documents, field for field."""

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from kit.event_contracts import personal_data
from organisations import dissolution_events, events, restructuring_events
from organisations.domain import (
    Acceptance,
    Action,
    Announcement,
    Approval,
    Campaign,
    CellType,
    Decision,
    Directive,
    DirectiveNumber,
    Dissemination,
    HandoverRecord,
    Move,
    Organisation,
    OrganisationKind,
    PersonKind,
    Placement,
    Plan,
    Relocation,
    RestructuringCampaign,
    RestructuringCase,
    RestructuringKind,
    Step,
    StepCorrection,
    Target,
    correct_step,
)
from organisations.domain.restructuring import Outcome

SPEC = yaml.safe_load((Path(__file__).parents[2] / "asyncapi.yaml").read_text())
ACTION = Action("Nguyễn Văn An", datetime(2019, 10, 20, tzinfo=UTC), "ghi chú")


def published() -> list[dict[str, Any]]:
    cell = Organisation(
        "gv-cq",
        "HN-BD-GV-CQ",
        "Chi bộ cơ quan phường Giảng Võ",
        OrganisationKind.CELL,
        "gv",
        ["hn", "bd", "gv"],
        CellType.AGENCY,
    )
    directive = Directive.issue(
        id="d383",
        number=DirectiveNumber.parse("383-CV/QU"),
        issuer="Quận ủy Ba Đình",
        issued_on=date(2019, 9, 5),
        title="Triển khai 14-HD/BTCTU",
    )
    campaign = Campaign(
        "k",
        "d383",
        "383-CV/QU",
        "bd",
        ["gv"],
        date(2019, 9, 15),
        ACTION.at,
        "Quận ủy",
        [Target("gv-cq", "gv")],
    )
    [case] = campaign.open_cases()
    sent = [
        events.organisation_registered(cell),
        events.organisation_updated(cell),
        events.directive_issued(directive),
        events.campaign_launched(campaign),
        dissolution_events.dissolution_opened(case),
        events.today_set(date(2019, 10, 1)),
    ]
    placement = Placement("m-1", PersonKind.MEMBER, "gv-tdp01")
    walk = [
        lambda: case.record_dissemination(Dissemination(date(2019, 9, 9), 20, []), ACTION),
        lambda: case.submit_plan(Plan("01-PA/ĐU", date(2019, 9, 12), [placement]), ACTION),
        lambda: case.return_plan(date(2019, 9, 13), "Bổ sung", ACTION),
        lambda: case.submit_plan(Plan("02-PA/ĐU", date(2019, 9, 14), [placement]), ACTION),
        lambda: case.approve_plan(Approval(date(2019, 9, 20), None), ACTION),
        lambda: case.issue_decision(
            Decision("125-QĐ/ĐU", date(2019, 9, 27), "Bí thư", date(2019, 10, 1)), ACTION
        ),
        lambda: case.record_announcement(Announcement(date(2019, 10, 1)), ACTION),
        lambda: case.members_relocated(Relocation(20, 3, date(2019, 10, 8)), ACTION),
    ]
    for take in walk:
        entry = take()
        assert entry is not None
        sent.append(dissolution_events.dissolution_step_taken(case, entry))  # type: ignore[arg-type]
    corrected = correct_step(
        case, Step.ISSUE_DECISION, StepCorrection(decision_number="126-QĐ/ĐU"), "Nhầm", ACTION
    )
    sent.append(dissolution_events.dissolution_step_corrected(case, corrected))
    return sent + restructuring_published()


def restructuring_published() -> list[dict[str, Any]]:
    campaign = RestructuringCampaign("r", "Đề án 2025", "hn", ACTION.at, "Thành ủy")
    case = RestructuringCase(
        "rc", RestructuringKind.HAND_OVER, ["km-tdp1"], ACTION.at, "Thành ủy", "r", "gv"
    )
    outcome = Outcome([Move("km-tdp1", "km", "gv", "HN-GV-TDP9")], [])
    decision = Decision("1234-QĐ/TU", date(2019, 9, 20), "Bí thư", date(2019, 10, 1))
    record = HandoverRecord("km-tdp1", date(2019, 9, 28), "A", "B", 31)
    entries = [
        case.issue_decision(decision, ACTION),
        case.record_handover(record, ACTION),
        case.accept(Acceptance(date(2019, 10, 1), "B"), outcome, ACTION),
    ]
    return [
        restructuring_events.restructuring_campaign_launched(campaign),
        restructuring_events.restructuring_opened(case),
        *(restructuring_events.restructuring_step_taken(case, entry) for entry in entries),
    ]


EVENTS = published()


def schema_for(event_type: str) -> dict[str, Any]:
    for name, channel in SPEC["channels"].items():
        if channel["address"] == event_type:
            data: dict[str, Any] = SPEC["components"]["schemas"][f"{name}Data"]
            return data
    raise AssertionError(f"{event_type} is not in asyncapi.yaml")


def test_every_event_type_the_code_knows_is_a_channel_and_nothing_else_is() -> None:
    documented = {channel["address"] for channel in SPEC["channels"].values()}
    in_code = {
        events.ORGANISATION_REGISTERED,
        events.ORGANISATION_UPDATED,
        events.DIRECTIVE_ISSUED,
        events.CAMPAIGN_LAUNCHED,
        events.DISSOLUTION_OPENED,
        events.TODAY_SET,
        events.DISSOLUTION_STEP_CORRECTED,
        *events.DISSOLUTION_STEPS.values(),
        events.RESTRUCTURING_CAMPAIGN_LAUNCHED,
        events.RESTRUCTURING_OPENED,
        *events.RESTRUCTURING_STEPS.values(),
        events.MEMBERS_RELOCATED,
    }
    assert documented == in_code


@pytest.mark.parametrize("event", EVENTS, ids=[e["type"].split(".", 2)[2] for e in EVENTS])
def test_each_published_event_carries_exactly_the_documented_fields(event: dict[str, Any]) -> None:
    schema = schema_for(event["type"])
    assert set(event["data"]) == set(schema["properties"])
    assert set(schema["required"]) <= set(event["data"])


def test_every_example_matches_its_schema() -> None:
    for name, message in SPEC["components"]["messages"].items():
        data = message["examples"][0]["payload"]["data"]
        schema = SPEC["components"]["schemas"][f"{name}Data"]
        assert set(schema["required"]) <= set(data) <= set(schema["properties"]), name


def test_what_asyncapi_marks_personal_is_what_the_public_exchange_leaves_out() -> None:
    marked = personal_data(Path(__file__).parents[2] / "asyncapi.yaml")
    assert marked == {event_type: set(f) for event_type, f in events.PERSONAL_DATA.items()}
