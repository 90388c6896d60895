"""What the public exchange carries of an event: everything but the fields its service names
personal, at any depth, in lists of objects too; the stored event is left whole."""

import copy

from kit.events import new_event
from kit.public_stream import public_view

DECIDED = "partyorg.test.decided.v1"
PERSONAL = {DECIDED: ("actor", "decision.signer", "placements.name", "absent.field")}


def decided() -> dict[str, object]:
    return new_event(
        DECIDED,
        "/partyorg/tests",
        {
            "caseId": "case-1",
            "actor": "Nguyễn Văn An",
            "decision": {"number": "12-QĐ/ĐU", "signer": "Trần Thị Bình"},
            "placements": [{"personId": "m-1", "name": "Lê Văn Cường"}, {"personId": "m-2"}],
        },
    )


def test_the_personal_fields_are_left_out_at_every_depth() -> None:
    public = public_view(decided(), PERSONAL)
    assert public["data"] == {
        "caseId": "case-1",
        "decision": {"number": "12-QĐ/ĐU"},
        "placements": [{"personId": "m-1"}, {"personId": "m-2"}],
    }


def test_the_stored_event_keeps_its_personal_fields() -> None:
    event = decided()
    whole = copy.deepcopy(event)
    public = public_view(event, PERSONAL)
    assert event == whole
    assert {k: v for k, v in public.items() if k != "data"} == {
        k: v for k, v in whole.items() if k != "data"
    }


def test_an_event_of_a_type_with_nothing_personal_goes_as_it_is() -> None:
    event = new_event("partyorg.test.other.v1", "/partyorg/tests", {"actor": "kept: not named"})
    assert public_view(event, PERSONAL) is event
