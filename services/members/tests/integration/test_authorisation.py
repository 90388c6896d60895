"""Authorisation through the real service: the gateway's identity, roles scoped to wards, a
member's own records, read-only auditors."""

import re
import uuid
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from kit.identity import IDENTITY_HEADER, Grant, Principal, Role, sign_internal
from kit.testing import FINDS, ServiceUnderTest
from members.schema import schema
from members_support import (
    Dissolution,
    Ward,
    add_candidate,
    applied,
    errors_of,
    register,
    ward_committee,
)
from pymongo.asynchronous.database import AsyncDatabase

Db = AsyncDatabase[dict[str, Any]]

MEMBER = "query ($id: ID!) { member(id: $id) { id fullName } }"
BY_CARD = "query ($card: String!) { memberByCard(cardNumber: $card) { id } }"
MEMBERS = """
query ($org: ID, $search: String) {
  members(organisationId: $org, search: $search, first: 500) { totalCount nodes { id } }
}
"""
ENTITIES = """
query ($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on PartyMember { id fullName }
    ... on AdmissionCandidate { id fullName }
    ... on Transfer { id personName member { id fullName } }
    ... on Organisation {
      id members { id } memberConnection { totalCount } memberCount candidates { id }
      incomingTransfers { id }
    }
  }
}
"""
UPDATE = 'mutation ($id: ID!) { updateMember(id: $id, input: {fullName: "X"}) { id } }'
TRANSFERS = "query ($org: ID) { transfers(organisationId: $org) { id } }"
# every mutation of the subgraph, on a member $m, a candidate $c, a transfer $t, a cell $cell
EVERY_MUTATION = {
    "registerMember": 'registerMember(input: {cardNumber: $card, fullName: "A", '
    'dateOfBirth: "1980-01-01", gender: MALE, standing: PROBATIONARY, admittedOn: "2019-01-01", '
    "organisationId: $cell}) { id }",
    "updateMember": 'updateMember(id: $m, input: {fullName: "X"}) { id }',
    "recognizeOfficial": 'recognizeOfficial(memberId: $m, officialOn: "2019-01-01") { id }',
    "recordAdmissionCeremony": 'recordAdmissionCeremony(memberId: $m, heldOn: "2019-01-01") { id }',
    "requestTransfer": "requestTransfer(input: {memberId: $m, kind: OFFICIAL, reason: RELOCATION, "
    'requestedOn: "2019-09-02", destinationName: "Bộ Tài chính"}) { id }',
    "setTransferDestination": "setTransferDestination(id: $t, organisationId: $cell) { id }",
    "issueIntroduction": 'issueIntroduction(id: $t, letterNo: "1", issuedOn: "2019-09-03") { id }',
    "recordTransferChecklist": "recordTransferChecklist(id: $t, checklist: {}) { id }",
    "receiveTransfer": 'receiveTransfer(id: $t, receivedOn: "2019-09-04") { id }',
    "correctReception": 'correctReception(id: $t, receivedOn: "2019-09-04", reason: "x") { id }',
    "cancelTransfer": 'cancelTransfer(id: $t, reason: "x") { id }',
    "recordOverdueReason": 'recordOverdueReason(id: $t, reason: "x") { id }',
    "addCandidate": 'addCandidate(input: {fullName: "B", dateOfBirth: "1990-01-01", '
    'gender: FEMALE, organisationId: $cell, on: "2019-01-01"}) { id }',
    "advanceCandidate": 'advanceCandidate(id: $c, stage: AWARENESS_TRAINED, on: "2019-09-01") '
    "{ id }",
    "assignMentor": "assignMentor(candidateId: $c, memberId: $m) { id }",
    "admitCandidate": 'admitCandidate(id: $c, cardNumber: $card, admittedOn: "2019-09-01") '
    "{ member { id } }",
    # a bulk import refuses each row out of reach on its own (the others would go on)
    "importMembers": "importMembers(input: {rows: [{row: 1, cardNumber: $card, fullName: "
    '"A", dateOfBirth: "1980-01-01", gender: MALE, standing: PROBATIONARY, admittedOn: '
    '"2019-01-01", organisationCode: $code}]}) { rows { code } }',
    "importCandidates": 'importCandidates(input: {rows: [{row: 1, fullName: "B", dateOfBirth: '
    '"1990-01-01", gender: FEMALE, organisationCode: $code, on: "2019-01-01"}]}) '
    "{ rows { code } }",
    # bulk steps answer each transfer on its own: their codes are the items'
    "issueIntroductions": "issueIntroductions(input: {transfers: {transferIds: [$t]}, "
    'letterSeries: "GGT/ĐU", issuedOn: "2019-09-03"}) { items { code } }',
    "receiveTransfers": "receiveTransfers(input: {transfers: {transferIds: [$t]}, "
    'receivedOn: "2019-09-04"}) { items { code } }',
}


async def attempt_every_mutation(
    service: ServiceUnderTest, principal: Principal, ids: dict[str, str]
) -> dict[str, list[str]]:
    """The error codes each mutation gets for `principal`."""
    mutation_type = schema._schema.mutation_type
    assert mutation_type is not None and set(mutation_type.fields) == set(EVERY_MUTATION)
    codes = {}
    ids = {**ids, "code": ids["cell"].upper()}  # the test wards' codes are their ids in capitals
    for name, selection in EVERY_MUTATION.items():
        variables = {k: v for k, v in ids.items() if re.search(rf"\${k}\b", selection)}
        declared = ", ".join(
            f"${key}: {'String' if key in ('card', 'code') else 'ID'}!" for key in variables
        )
        body = await service.execute(
            f"mutation ({declared}) {{ {selection} }}", variables, principal=principal
        )
        answer = (body.get("data") or {}).get(name) or {}
        outcomes = answer.get("rows", answer.get("items", []))
        codes[name] = errors_of(body) or [outcome["code"] for outcome in outcomes]
    return codes


REQUEST = """
mutation ($member: ID!, $to: ID) {
  requestTransfer(input: {memberId: $member, kind: OFFICIAL, reason: RELOCATION,
    requestedOn: "2019-09-02", toOrganisationId: $to}) { id }
}
"""


def auditor(organisation_id: str | None = None) -> Principal:
    return Principal("u-auditor", "Kiểm tra viên", (Grant(Role.AUDITOR, organisation_id),))


def party_member(member_id: str) -> Principal:
    return Principal(f"u-{member_id}", "Đảng viên", (Grant(Role.MEMBER),), member_id)


async def two_wards(service: ServiceUnderTest, db: Db) -> tuple[Ward, Ward]:
    return await Ward(service, db).set_up(groups=1), await Ward(service, db).set_up(groups=1)


async def test_a_request_without_the_gateways_identity_is_unauthenticated(
    service: ServiceUnderTest,
) -> None:
    response = await service.client.post("/graphql", json={"query": "{ members { totalCount } }"})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_token_signed_with_another_key_is_unauthenticated(
    service: ServiceUnderTest,
) -> None:
    forged = sign_internal(auditor(), Ed25519PrivateKey.generate())
    response = await service.client.post(
        "/graphql",
        json={"query": "{ members { totalCount } }"},
        headers={IDENTITY_HEADER: forged},
    )
    assert response.status_code == 401
    assert "data" not in response.json()


async def test_a_ward_committee_reads_no_member_of_another_ward_by_any_path(
    service: ServiceUnderTest, db: Db
) -> None:
    ward_a, ward_b = await two_wards(service, db)
    card = f"02.{uuid.uuid4().hex[:8]}"
    mine = await register(service, ward_a.agency, name="Lê Văn Mình")
    theirs = await register(service, ward_b.agency, card=card, name="Trần Văn Khác")
    # ward B's member asks to move to ward A's cell: ward A sees the transfer, not the member
    moving = await service.execute_ok(
        REQUEST, {"member": theirs, "to": ward_a.residential["Tổ dân phố 1"]}
    )
    transfer = moving["requestTransfer"]["id"]
    me = ward_committee(ward_a)

    assert (await service.execute_ok(MEMBER, {"id": mine}, principal=me))["member"]["id"] == mine
    for query, variables in [
        (MEMBER, {"id": theirs}),
        (BY_CARD, {"card": card}),
        (MEMBER, {"id": "no-such-member"}),
        (BY_CARD, {"card": "no-such-card"}),
        (MEMBERS, {"org": ward_b.agency}),
    ]:
        body = await service.execute(query, variables, principal=me)
        assert errors_of(body) == ["FORBIDDEN"] and body["data"] is None, query

    everyone = await service.execute_ok(MEMBERS, {"search": "van"}, principal=me)
    ids = {node["id"] for node in everyone["members"]["nodes"]}
    assert mine in ids and theirs not in ids
    assert everyone["members"]["totalCount"] == len(ids)
    by_card = await service.execute_ok(MEMBERS, {"search": card}, principal=me)
    assert by_card["members"] == {"totalCount": 0, "nodes": []}

    reps = [
        {"__typename": "PartyMember", "id": mine},
        {"__typename": "PartyMember", "id": theirs},
        {"__typename": "Organisation", "id": ward_b.agency},
        {"__typename": "Transfer", "id": transfer},
    ]
    body = await service.execute(ENTITIES, {"reps": reps}, principal=me)
    entities = body["data"]["_entities"]
    assert entities[0] == {"id": mine, "fullName": "Lê Văn Mình"}
    assert entities[1] is None
    organisation_fields = ["members", "memberConnection", "memberCount", "candidates"]
    organisation_fields.append("incomingTransfers")
    assert entities[2] == {"id": ward_b.agency} | dict.fromkeys(organisation_fields)
    assert entities[3]["personName"] == "Trần Văn Khác" and entities[3]["member"] is None
    refused = {tuple(error["path"]) for error in body["errors"]}
    assert refused == {
        ("_entities", 1),
        *(("_entities", 2, name) for name in organisation_fields),
        ("_entities", 3, "member"),
    }
    assert set(errors_of(body)) == {"FORBIDDEN"}
    messages = {error["message"] for error in body["errors"]}
    assert len(messages) == 1 and "Trần" not in messages.pop()


async def test_a_member_sees_their_own_record_and_transfers_only(
    service: ServiceUnderTest, db: Db
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    me_id = await register(service, ward.agency, name="Đỗ Văn Tôi")
    neighbour = await register(service, ward.agency, name="Đỗ Văn Bạn")
    mine = await service.execute_ok(
        REQUEST, {"member": me_id, "to": ward.residential["Tổ dân phố 1"]}
    )
    await service.execute_ok(REQUEST, {"member": neighbour, "to": ward.residential["Tổ dân phố 1"]})
    me = party_member(me_id)

    assert (await service.execute_ok(MEMBER, {"id": me_id}, principal=me))["member"]["id"] == me_id
    assert errors_of(await service.execute(MEMBER, {"id": neighbour}, principal=me)) == [
        "FORBIDDEN"
    ]
    listed = await service.execute_ok(MEMBERS, {"search": "do van"}, principal=me)
    assert listed["members"] == {"totalCount": 1, "nodes": [{"id": me_id}]}
    transfers = await service.execute_ok(TRANSFERS, {}, principal=me)
    assert transfers["transfers"] == [{"id": mine["requestTransfer"]["id"]}]
    own = await service.execute_ok(
        "query ($id: ID!) { member(id: $id) { transfers { id member { id } } } }",
        {"id": me_id},
        principal=me,
    )
    assert own["member"]["transfers"] == [
        {"id": mine["requestTransfer"]["id"], "member": {"id": me_id}}
    ]
    for query, variables in [
        (MEMBERS, {"org": ward.agency}),
        (TRANSFERS, {"org": ward.agency}),
        ("query ($org: ID) { candidates(organisationId: $org) { id } }", {"org": ward.agency}),
        (UPDATE, {"id": me_id}),
        ("{ memberDataAccessLog { id } }", {}),
    ]:
        body = await service.execute(query, variables, principal=me)
        assert errors_of(body) == ["FORBIDDEN"], query
    assert (await service.execute_ok("{ candidates { id } }", principal=me))["candidates"] == []


async def test_a_ward_committee_changes_nothing_in_another_ward(
    service: ServiceUnderTest, db: Db
) -> None:
    ward_a, ward_b = await two_wards(service, db)
    card = f"03.{uuid.uuid4().hex[:8]}"
    theirs = await register(service, ward_b.agency, card=card, name="Phạm Thị Khác")
    candidate = await add_candidate(service, ward_b.agency)
    requested = await service.execute_ok(
        REQUEST, {"member": theirs, "to": ward_b.residential["Tổ dân phố 1"]}
    )
    transfer = requested["requestTransfer"]["id"]
    before = [
        await db[name].find_one({"_id": key}, {"pending_events": 0})
        for name, key in (("members", theirs), ("candidates", candidate), ("transfers", transfer))
    ]
    ids = {"m": theirs, "c": candidate, "t": transfer, "cell": ward_b.agency, "card": card}

    codes = await attempt_every_mutation(service, ward_committee(ward_a), ids)

    assert codes == {name: ["FORBIDDEN"] for name in EVERY_MUTATION}
    after = [
        await db[name].find_one({"_id": key}, {"pending_events": 0})
        for name, key in (("members", theirs), ("candidates", candidate), ("transfers", transfer))
    ]
    assert after == before
    assert await db["members"].count_documents({"organisation_id": ward_b.agency}) == 1
    # ids that do not exist are refused alike: an outsider learns nothing of what exists
    unknown = {"m": "no-member", "c": "no-candidate", "t": "no-transfer", "cell": "no-cell"}
    codes = await attempt_every_mutation(service, ward_committee(ward_a), unknown | {"card": "1"})
    assert codes == {name: ["FORBIDDEN"] for name in EVERY_MUTATION}


async def test_a_ward_committee_runs_its_own_ward(service: ServiceUnderTest, db: Db) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    me = ward_committee(ward)
    data = await service.execute_ok(
        """mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }""",
        {
            "input": {
                "cardNumber": f"05.{uuid.uuid4().hex[:8]}",
                "fullName": "Ngô Văn Phường",
                "dateOfBirth": "1975-02-03",
                "gender": "MALE",
                "standing": "OFFICIAL",
                "admittedOn": "2000-01-01",
                "officialOn": "2001-01-01",
                "organisationId": ward.agency,
            }
        },
        principal=me,
    )
    member = data["registerMember"]["id"]
    requested = await service.execute_ok(
        REQUEST, {"member": member, "to": ward.residential["Tổ dân phố 1"]}, principal=me
    )
    transfer = requested["requestTransfer"]["id"]
    await service.execute_ok(
        'mutation ($id: ID!) { issueIntroduction(id: $id, letterNo: "7", issuedOn: "2019-09-03")'
        " { id } }",
        {"id": transfer},
        principal=me,
    )
    secretary = Principal(
        "u-secretary", grants=(Grant(Role.CELL_SECRETARY, ward.residential["Tổ dân phố 1"]),)
    )
    receive = 'mutation ($id: ID!) { receiveTransfer(id: $id, receivedOn: "2019-09-10") { state } }'
    received = await service.execute_ok(receive, {"id": transfer}, principal=secretary)
    assert received["receiveTransfer"]["state"] == "RECEIVED"
    moved = await service.execute_ok(MEMBER, {"id": member}, principal=secretary)
    assert moved["member"]["id"] == member


async def test_an_auditor_reads_everything_and_changes_nothing(
    service: ServiceUnderTest, db: Db
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    member = await register(service, ward.agency, name="Hoàng Văn Soát")
    candidate = await add_candidate(service, ward.agency)
    requested = await service.execute_ok(
        REQUEST, {"member": member, "to": ward.residential["Tổ dân phố 1"]}
    )
    transfer = requested["requestTransfer"]["id"]
    for me in (auditor(), auditor(ward.id)):
        read = await service.execute_ok(
            """query ($m: ID!, $c: ID!, $t: ID!, $cell: ID!) {
              member(id: $m) { fullName } candidate(id: $c) { id } transfer(id: $t) { id }
              members(organisationId: $cell) { totalCount }
            }""",
            {"m": member, "c": candidate, "t": transfer, "cell": ward.agency},
            principal=me,
        )
        assert read["member"]["fullName"] == "Hoàng Văn Soát"
        assert read["members"]["totalCount"] == 1
        ids = {"m": member, "c": candidate, "t": transfer, "cell": ward.agency, "card": "04.1"}
        codes = await attempt_every_mutation(service, me, ids)
        assert codes == {name: ["FORBIDDEN"] for name in EVERY_MUTATION}
    assert await db["members"].count_documents({"organisation_id": ward.agency}) == 1
    stored = await db["transfers"].find_one({"_id": transfer})
    assert stored is not None and stored["state"] == "AWAITING_INTRODUCTION"


async def test_a_dissolution_case_shows_another_ward_nothing_of_its_people(
    service: ServiceUnderTest, db: Db
) -> None:
    ward_a, ward_b = await two_wards(service, db)
    await register(service, ward_b.agency, name="Vũ Thị Giải", group="Tổ dân phố 1")
    dissolution = Dissolution(ward_b)
    await dissolution.open()
    await applied(db, await dissolution.decide())
    query = """
    query ($case: ID!) {
      _entities(representations: [{__typename: "DissolutionCase", id: $case}]) {
        ... on DissolutionCase {
          transfers { id } transferProgress { total } proposedPlacements { fullName }
        }
      }
    }
    """
    own = await service.execute_ok(
        query, {"case": dissolution.case_id}, principal=ward_committee(ward_b)
    )
    assert own["_entities"][0]["transferProgress"]["total"] == 1
    assert len(own["_entities"][0]["transfers"]) == 1
    body = await service.execute(
        query, {"case": dissolution.case_id}, principal=ward_committee(ward_a)
    )
    assert body["data"]["_entities"][0] == {
        "transfers": [],
        "transferProgress": None,
        "proposedPlacements": None,
    }
    assert {tuple(e["path"][-1:]) for e in body["errors"]} == {
        ("transferProgress",),
        ("proposedPlacements",),
    }
    assert set(errors_of(body)) == {"FORBIDDEN"}


async def test_a_list_of_a_thousand_members_looks_their_cells_up_once(
    service: ServiceUnderTest, db: Db
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    cells = [ward.agency, ward.residential["Tổ dân phố 1"]]
    member_ids = [str(uuid.uuid4()) for _ in range(1000)]
    await db["members"].insert_many(
        [
            {
                "_id": member_id,
                "card_number": f"06.{member_id}",
                "full_name": "Lý Văn Số",
                "date_of_birth": "1980-01-01",
                "gender": "MALE",
                "standing": "OFFICIAL",
                "admitted_on": "2000-01-01",
                "official_on": "2001-01-01",
                "organisation_id": cells[n % 2],
                "version": 1,
                "sort_name": "ly van so",
                "search_key": f"ly van so 06.{member_id}",
            }
            for n, member_id in enumerate(member_ids)
        ]
    )
    reps = [{"__typename": "PartyMember", "id": member_id} for member_id in member_ids]
    query = "query ($reps: [_Any!]!) { _entities(representations: $reps) { __typename } }"
    FINDS.watch(service.settings.database_name)
    try:
        data = await service.execute_ok(query, {"reps": reps}, principal=ward_committee(ward))
    finally:
        finds = FINDS.stop()
        # the other tests share the database: they need not search through these
        await db["members"].delete_many({"_id": {"$in": member_ids}})
    assert data["_entities"] == [{"__typename": "PartyMember"}] * 1000
    # each member by its id (an `$in` would have FerretDB read every member, whatever the
    # number of ids), and each of their two cells once (by id)
    assert finds == {"members": len(member_ids), "known_organisations": len(cells)}
