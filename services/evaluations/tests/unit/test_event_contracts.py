"""The events the code publishes and consumes are the ones asyncapi.yaml documents."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from evaluations import events
from evaluations.domain import AssessorRole, Period, Rating, WorkplaceAssessment
from evaluations.domain.evaluation import Evaluation
from evaluations.handlers import subscriptions
from kit.event_contracts import personal_data

SPEC = yaml.safe_load((Path(__file__).parents[2] / "asyncapi.yaml").read_text())
AT = datetime(2019, 11, 5, 9, 0, tzinfo=UTC)


def channels(action: str) -> dict[str, str]:
    """Channel name → routing key, for the operations of one action."""
    found = {}
    for operation in SPEC["operations"].values():
        if operation["action"] == action:
            name = operation["channel"]["$ref"].rsplit("/", 1)[1]
            found[name] = SPEC["channels"][name]["address"]
    return found


def data_schema(event_type: str) -> dict[str, Any]:
    for name, channel in SPEC["channels"].items():
        if channel["address"] == event_type:
            schema: dict[str, Any] = SPEC["components"]["schemas"][f"{name}Data"]
            return schema
    raise AssertionError(f"{event_type} is not in asyncapi.yaml")


def published() -> list[dict[str, Any]]:
    evaluation = Evaluation.start("m-1", "gv-tdp01", Period(2019, 10))
    evaluation.propose(Rating.GOOD, None, None, "Bí thư chi bộ", AT)
    evaluation.finalise(Rating.GOOD, None, [], {}, "Đảng ủy phường", AT)
    assessment = WorkplaceAssessment(
        "ubnd:1",
        "1",
        "UBND phường",
        "ubnd",
        "m-1",
        Period(2019, 10),
        AssessorRole.PEOPLES_COMMITTEE_CHAIR,
        "Chủ tịch UBND phường",
        Rating.GOOD,
        None,
        AT,
    )
    first = events.evaluation_finalised(evaluation, "132-QĐ/TW, 21-HD/BTCTW (2019)")
    evaluation.reopen("Nhầm xếp loại", "Đảng ủy phường", AT)
    reopened = events.evaluation_reopened(evaluation)
    evaluation.finalise(Rating.COMPLETED, None, [], {}, "Đảng ủy phường", AT)
    again = events.evaluation_finalised(evaluation, "132-QĐ/TW, 21-HD/BTCTW (2019)")
    assert [e["id"] for e in (first, reopened, again)] == [
        "m-1:2019-10:finalised",
        "m-1:2019-10:reopened:1",
        "m-1:2019-10:finalised:2",
    ]
    return [
        first,
        reopened,
        again,
        events.workplace_assessment_recorded(assessment, "gv-tdp01", "gv"),
    ]


def test_the_published_channels_are_exactly_the_events_the_code_publishes() -> None:
    assert set(channels("send").values()) == {e["type"] for e in published()}


def test_each_published_event_carries_exactly_the_documented_fields() -> None:
    for event in published():
        schema = data_schema(event["type"])
        assert set(event["data"]) == set(schema["properties"]), event["type"]
        assert set(schema["required"]) <= set(event["data"])


def test_the_received_channels_are_exactly_the_events_the_service_subscribes_to() -> None:
    subscribed = set(subscriptions(None))  # type: ignore[arg-type]
    assert set(channels("receive").values()) == subscribed


def test_every_example_matches_its_schema() -> None:
    for name, message in SPEC["components"]["messages"].items():
        schema = SPEC["components"]["schemas"][f"{name}Data"]
        for example in message.get("examples", []):
            data = example["payload"]["data"]
            assert set(schema["required"]) <= set(data) <= set(schema["properties"]), name
            assert example["payload"]["type"] == message["name"]


def test_what_asyncapi_marks_personal_is_what_the_public_exchange_leaves_out() -> None:
    marked = personal_data(Path(__file__).parents[2] / "asyncapi.yaml")
    assert marked == {event_type: set(f) for event_type, f in events.PERSONAL_DATA.items()}
