"""The personal-data access log through the gateway: a read of personal fields leaves an entry
naming who read (subject, roles), whose data, which fields, and the request id the caller sent;
auditors read the logs (a ward's auditor only its people's entries), nobody else does; a read
that was refused leaves no entry of the data it did not show."""

import asyncio

import pytest
import pytest_asyncio
from kit.identity import Role

from infra.local.suite import Suite
from tests.e2e.security_access import QUERIES, entries, grants_of, logged_anyway
from tests.e2e.security_gateway import AUDITOR, RUN, PersonalRead
from tests.e2e.security_logscan import scan_after_the_run
from tests.e2e.security_matrix import shared_world
from tests.e2e.security_world import PERIOD, World

READ = """
query ($id: ID!, $period: String!) {
  member(id: $id) {
    fullName cardNumber dateOfBirth
    evaluations(period: $period) { proposedRating }
  }
}"""
MEMBER_FIELDS = frozenset({"fullName", "cardNumber", "dateOfBirth"})


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def world(suite: Suite, request: pytest.FixtureRequest) -> World:
    scan_after_the_run(request.config, suite)
    return await shared_world(suite)


async def test_a_read_leaves_an_entry_naming_who_whose_which_fields_and_the_request_id(
    world: World,
) -> None:
    ward = world.wards["A"]
    committee = world.principal(Role.WARD_COMMITTEE)
    reply = await world.gateway.call(committee, READ, {"id": ward.person.id, "period": PERIOD})
    assert not reply.errors and reply.data, reply.body

    logged = await entries(world.gateway, "members", ward.person.id, committee.subject)
    [entry] = [e for e in logged if e["requestId"] == reply.request_id]
    assert entry["subject"] == committee.subject
    assert entry["roles"] == [f"WARD_COMMITTEE@{ward.ward}"]
    assert (entry["personType"], entry["personId"]) == ("PartyMember", ward.person.id)
    assert entry["organisationId"] == ward.agency
    assert set(entry["fields"]) == MEMBER_FIELDS  # the fields, never their values
    assert str(ward.person.card) not in str(entry) and ward.person.name not in str(entry)

    logged = await entries(world.gateway, "evaluations", ward.person.id, committee.subject)
    [entry] = [e for e in logged if e["requestId"] == reply.request_id]
    assert (entry["personType"], entry["fields"]) == ("Evaluation", ["proposedRating"])
    assert set(entry["roles"]) == grants_of(committee)
    RUN.reads.append(
        PersonalRead(
            reply.request_id, committee, "members", "PartyMember", ward.person.id, MEMBER_FIELDS
        )
    )


async def test_each_of_a_callers_identical_reads_at_once_leaves_its_own_entry(
    world: World,
) -> None:
    """The gateway does a caller's identical queries of one turn once and names every request
    to the subgraphs (GATEWAY_COALESCE_FETCHES, on by default): each read still leaves its
    entry, whichever requests were joined."""
    ward = world.wards["A"]
    committee = world.principal(Role.WARD_COMMITTEE)
    variables = {"id": ward.person.id, "period": PERIOD}
    replies = await asyncio.gather(
        *(world.gateway.call(committee, READ, variables) for _ in range(12))
    )
    assert all(not r.errors and r.data == replies[0].data for r in replies), replies[0].body
    for service in ("members", "evaluations"):
        logged = await entries(world.gateway, service, ward.person.id, committee.subject)
        assert {r.request_id for r in replies} <= {e["requestId"] for e in logged}, service


@pytest.mark.parametrize("service", sorted(QUERIES))
@pytest.mark.parametrize("role", [role for role in Role if role is not Role.AUDITOR])
async def test_only_auditors_read_the_access_logs(world: World, role: Role, service: str) -> None:
    field = QUERIES[service]
    reply = await world.gateway.call(
        world.principal(role), f"{{ {field}(first: 5) {{ personId requestId }} }}"
    )
    assert reply.codes == {"FORBIDDEN"}, reply.body
    assert reply.data is None or reply.data.get(field) is None, reply.body


@pytest.mark.parametrize("service", ["members", "evaluations"])
async def test_an_auditor_of_a_ward_reads_the_entries_of_its_people_only(
    world: World, service: str
) -> None:
    auditor = world.principal(Role.AUDITOR)
    own, other = world.wards["A"].person.id, world.wards["B"].person.id
    assert await entries(world.gateway, service, own, principal=auditor)
    assert await entries(world.gateway, service, other) != [], "ward B's subject was read"
    assert await entries(world.gateway, service, other, principal=auditor) == []


REFUSED_READS = {
    "member": ("members", "query ($member: ID!) { member(id: $member) { fullName } }"),
    "memberByCard": (
        "members",
        "query ($card: String!) { memberByCard(cardNumber: $card) { fullName } }",
    ),
    "members(search)": (
        "members",
        "query ($name: String!) { members(search: $name) { nodes { fullName } } }",
    ),
    "Organisation.members": (
        "members",
        "query ($cell: ID!) { organisation(id: $cell) { members { fullName dateOfBirth } } }",
    ),
    "Transfer.member": (
        "members",
        "query ($transfer: ID!) { transfer(id: $transfer) { personName member { fullName } } }",
    ),
    "evaluation": (
        "evaluations",
        "query ($evaluation: ID!) { evaluation(id: $evaluation) { proposedRating } }",
    ),
    "PartyMember.evaluations": (
        "evaluations",
        "query ($member: ID!, $period: String!) { member(id: $member) { "
        "evaluations(period: $period) { proposedRating } } }",
    ),
}


@pytest.mark.parametrize("read", sorted(REFUSED_READS))
async def test_a_refused_read_leaves_no_entry_of_what_it_did_not_show(
    world: World, read: str
) -> None:
    service, query = REFUSED_READS[read]
    ward = world.wards["B"]
    given = {
        "member": ward.person.id,
        "card": ward.person.card,
        "name": ward.person.name,
        "cell": ward.agency,
        "transfer": ward.transfer,
        "evaluation": f"{ward.person.id}:{PERIOD}",
        "period": PERIOD,
    }
    variables = {name: value for name, value in given.items() if f"${name}" in query}
    committee = world.principal(Role.WARD_COMMITTEE)  # ward A's
    reply = await world.gateway.call(committee, query, variables)
    assert ward.person.name not in str(reply.body), reply.body
    refused = PersonalRead(reply.request_id, committee, service, "", ward.person.id, frozenset())
    assert await logged_anyway(world.gateway, [refused]) == []
    RUN.refused.append(refused)

    # the control: ward B's own committee makes the same read, and it is logged
    own = await world.gateway.call(world.principal(Role.WARD_COMMITTEE, ward="B"), query, variables)
    assert not own.errors and own.data, own.body
    logged = await entries(world.gateway, service, ward.person.id)
    assert [e for e in logged if e["requestId"] == own.request_id], logged


async def test_the_auditors_own_reads_of_the_log_are_not_personal_reads(world: World) -> None:
    person = world.wards["C"].person.id
    before = await entries(world.gateway, "members", person, AUDITOR.subject)
    await entries(world.gateway, "members", person)
    assert await entries(world.gateway, "members", person, AUDITOR.subject) == before
