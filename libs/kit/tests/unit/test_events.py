import pytest
from kit.context import request_id
from kit.events import from_wire, new_event, to_wire


def test_a_stored_event_goes_on_the_wire_and_comes_back_the_same() -> None:
    token = request_id.set("req-42")
    try:
        stored = new_event(
            "partyorg.members.member.registered.v1",
            "/partyorg/members",
            {"memberId": "m-1", "fullName": "Phạm Thị Thu"},
            subject="m-1",
        )
    finally:
        request_id.reset(token)
    event = from_wire(to_wire(stored))
    assert event.id == stored["id"]
    assert event.type == "partyorg.members.member.registered.v1"
    assert event.subject == "m-1"
    assert event.data == {"memberId": "m-1", "fullName": "Phạm Thị Thu"}
    assert event.request_id == "req-42"


def test_a_given_id_makes_the_event_deterministic() -> None:
    first = new_event("t.v1", "/s", {}, id="case-1:decided")
    assert first["id"] == "case-1:decided"


@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"specversion": "1.0", "id": "x"}'])
def test_malformed_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(ValueError):
        from_wire(body)
