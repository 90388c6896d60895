"""An admission's two dates through the members subgraph: the decision (admittedOn) and the
ceremony, the probation from the ceremony, lateness and overdue recognition, the introducers and
the awareness-class certificate; bad input is refused and changes nothing. Today: 1/10/2019."""

from typing import Any

from kit.identity import Grant, Principal, Role
from kit.testing import ServiceUnderTest
from members_support import Ward, add_candidate, errors_of, register
from pymongo.asynchronous.database import AsyncDatabase

ADVANCE = """
mutation ($id: ID!, $stage: CandidateStage!, $on: Date!) {
  advanceCandidate(id: $id, stage: $stage, on: $on) { stage } }
"""
ADMIT = """
mutation ($id: ID!, $card: String!, $ceremony: Date, $introducers: [IntroducerInput!],
          $certificate: AwarenessCertificateInput) {
  admitCandidate(id: $id, cardNumber: $card, admittedOn: "2019-08-16",
                 admissionCeremonyOn: $ceremony, introducers: $introducers,
                 awarenessCertificate: $certificate) { member { id } }
}
"""
ADMISSION = """
query ($id: ID!) {
  member(id: $id) {
    standing admittedOn admissionCeremonyOn ceremonyDueBy ceremonyLate probationEndsOn
    recognitionDueBy recognitionOverdue
    introducers { member { id } workedTogetherSince }
    awarenessCertificate { number issuedOn }
  }
}
"""
CEREMONY = """
mutation ($id: ID!, $on: Date!) {
  recordAdmissionCeremony(memberId: $id, heldOn: $on) { admissionCeremonyOn ceremonyLate }
}
"""
DUE = """
query ($ward: ID, $late: Boolean, $overdue: Boolean) {
  probationaryMembers(organisationId: $ward, ceremonyLate: $late, recognitionOverdue: $overdue) {
    id
  }
}
"""
CERTIFICATE = {"number": "125/GCN-TTBDCT", "issuedOn": "2019-06-28"}


async def sponsored(service: ServiceUnderTest, ward: Ward) -> str:
    candidate = await add_candidate(service, ward.agency, born="1994-03-10")
    for stage, on in (("AWARENESS_TRAINED", "2019-07-01"), ("SPONSORED", "2019-08-01")):
        await service.execute_ok(ADVANCE, {"id": candidate, "stage": stage, "on": on})
    return candidate


async def test_an_admission_records_the_decision_introducers_and_certificate_then_the_ceremony(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    colleague = await register(service, ward.agency, name="Lê Văn Giới")
    neighbour = await register(service, ward.residential["Tổ dân phố 1"], name="Phạm Thị Thiệu")
    candidate = await sponsored(service, ward)
    introducers = [
        {"memberId": colleague, "workedTogetherSince": "2015-01-05"},
        {"memberId": neighbour, "workedTogetherSince": "2018-08-16"},
    ]
    card = f"01.{ward.suffix}"
    admitted = await service.execute_ok(
        ADMIT,
        {"id": candidate, "card": card, "introducers": introducers, "certificate": CERTIFICATE},
    )
    member = admitted["admitCandidate"]["member"]["id"]
    # decided Friday 16/8/2019; 2/9 (National Day) is no working day: the ceremony is due 30/9
    assert (await service.execute_ok(ADMISSION, {"id": member}))["member"] == {
        "standing": "PROBATIONARY",
        "admittedOn": "2019-08-16",
        "admissionCeremonyOn": None,
        "ceremonyDueBy": "2019-09-30",
        "ceremonyLate": True,  # not recorded, and today is 1/10
        "probationEndsOn": "2020-08-16",
        "recognitionDueBy": "2020-09-28",
        "recognitionOverdue": False,
        "introducers": [
            {"member": {"id": colleague}, "workedTogetherSince": "2015-01-05"},
            {"member": {"id": neighbour}, "workedTogetherSince": "2018-08-16"},
        ],
        "awarenessCertificate": {"number": "125/GCN-TTBDCT", "issuedOn": "2019-06-28"},
    }
    late = await service.execute_ok(DUE, {"ward": ward.id, "late": True})
    assert {"id": member} in late["probationaryMembers"]

    held = await service.execute_ok(CEREMONY, {"id": member, "on": "2019-09-30"})
    assert held["recordAdmissionCeremony"] == {
        "admissionCeremonyOn": "2019-09-30",
        "ceremonyLate": False,
    }
    after = (await service.execute_ok(ADMISSION, {"id": member}))["member"]
    # the probation counts from the ceremony; recognition within 30 working days of its end
    assert (after["probationEndsOn"], after["recognitionDueBy"]) == ("2020-09-30", "2020-11-11")
    late = await service.execute_ok(DUE, {"ward": ward.id, "late": True})
    assert {"id": member} not in late["probationaryMembers"]
    on_time = await service.execute_ok(DUE, {"ward": ward.id, "late": False})
    assert {"id": member} in on_time["probationaryMembers"]

    other_date = await service.execute(CEREMONY, {"id": member, "on": "2019-09-29"})
    assert errors_of(other_date) == ["CONFLICT"]
    a_year_after_the_decision = await service.execute(
        'mutation ($id: ID!) { recognizeOfficial(memberId: $id, officialOn: "2020-09-02") '
        "{ standing } }",
        {"id": member},
    )
    assert errors_of(a_year_after_the_decision) == ["BAD_USER_INPUT"]


async def test_a_probationary_member_past_the_recognition_due_date_is_listed_overdue(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    # registered with admittedOn 2/3/2008 and no ceremony: its probation ended long ago
    overdue = await register(service, ward.residential["Tổ dân phố 1"], standing="PROBATIONARY")
    official = await register(service, ward.agency)
    listed = await service.execute_ok(DUE, {"ward": ward.id, "overdue": True})
    assert listed["probationaryMembers"] == [{"id": overdue}]
    everyone = await service.execute_ok(DUE, {"ward": ward.id})
    assert {"id": official} not in everyone["probationaryMembers"]

    other_ward = await Ward(service, db).set_up(groups=1)
    outsider = Principal(
        "u-other", "Đảng ủy phường khác", (Grant(Role.WARD_COMMITTEE, other_ward.id),)
    )
    refused = await service.execute(DUE, {"ward": ward.id}, principal=outsider)
    assert errors_of(refused) == ["FORBIDDEN"]
    own = await service.execute_ok(DUE, {"ward": None, "overdue": True}, principal=outsider)
    assert own["probationaryMembers"] == []


async def test_bad_introducers_ceremony_or_certificate_are_refused_and_admit_nobody(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    other_ward = await Ward(service, db).set_up(groups=1)
    colleague = await register(service, ward.agency, name="Lê Văn Giới")
    probationary = await register(service, ward.agency, standing="PROBATIONARY")
    elsewhere = await register(service, other_ward.agency, name="Ngoài phường")
    candidate = await sponsored(service, ward)

    def since(member_id: str, day: str = "2015-01-05") -> list[dict[str, str]]:
        return [{"memberId": member_id, "workedTogetherSince": day}]

    refusals: list[tuple[dict[str, Any], str]] = [
        ({"introducers": since("no-such-member")}, "NOT_FOUND"),
        ({"introducers": since(probationary)}, "BAD_USER_INPUT"),
        ({"introducers": since(elsewhere)}, "BAD_USER_INPUT"),
        ({"introducers": since(colleague, "2018-08-17")}, "BAD_USER_INPUT"),  # < a year
        ({"introducers": since(colleague) * 2}, "BAD_USER_INPUT"),
        ({"ceremony": "2019-08-15"}, "BAD_USER_INPUT"),  # before the decision
        ({"ceremony": "2019-10-02"}, "BAD_USER_INPUT"),  # not held yet
        ({"certificate": {**CERTIFICATE, "issuedOn": "2019-08-17"}}, "BAD_USER_INPUT"),
    ]
    for given, code in refusals:
        body = await service.execute(ADMIT, {"id": candidate, "card": f"02.{ward.suffix}"} | given)
        assert errors_of(body) == [code], given
    stored = await db["candidates"].find_one({"_id": candidate})
    assert stored is not None and stored["stage"] == "SPONSORED"
    assert await db["members"].count_documents({"card_number": f"02.{ward.suffix}"}) == 0

    # held on the day of the decision, as a late-recorded one would be
    admitted = await service.execute_ok(
        ADMIT, {"id": candidate, "card": f"02.{ward.suffix}", "ceremony": "2019-08-16"}
    )
    member = admitted["admitCandidate"]["member"]["id"]
    view = (await service.execute_ok(ADMISSION, {"id": member}))["member"]
    assert (view["admissionCeremonyOn"], view["ceremonyLate"]) == ("2019-08-16", False)
