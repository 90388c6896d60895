"""The authorisation matrix as data: the contract's table (one `Family` a row), the operations
that exercise each row through the gateway, and the expected outcome of every (role, scope,
operation) cell, derived from the table alone:

    a family open to any authenticated caller      ALLOWED for every role (scope "any")
    another scope (ward B; ward C of district D2    REFUSED
      for the district standing committee)
    the principal's own scope (ward A)              ALLOWED when the row names the role, or
                                                    the role is MEMBER, the row lets members
                                                    reach their own records and the operation
                                                    is on the member's own record; else REFUSED

How an operation is checked (test_security_matrix.py): READ — refused is FORBIDDEN at the
refused field and null there (or above it, where the field cannot be null); LIST — lists never
refuse for what they would contain, so refused is the target left out (or FORBIDDEN; a list of
an explicit organisation out of scope must be FORBIDDEN, except for a MEMBER, whose list keeps
their own records); WRITE — refused is FORBIDDEN, a null answer and the staff's read-back
unchanged, allowed is an answer and the read-back changed; BULK (the workplace results) —
refused for an assessor is the item REJECTED with FORBIDDEN while the bulk is answered. No
refused answer holds a personal value of the ward's people; an allowed MEMBER answer holds
nobody else's."""

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from kit.identity import Role

from infra.local.suite import Suite
from tests.e2e.security_gateway import RUN, SecureGateway
from tests.e2e.security_world import PERIOD, Ward, World

DS, WC, CS = Role.DISTRICT_STANDING, Role.WARD_COMMITTEE, Role.CELL_SECRETARY
CC = Role.CITY_COMMITTEE  # since 2025 does what the district did, over its tree
STANDING = frozenset({CC, DS})
READERS = frozenset({*STANDING, WC, CS, Role.AUDITOR})


@dataclass(frozen=True)
class Family:
    """A row of the contract's authorisation table."""

    name: str
    roles: frozenset[Role] | None  # None: any authenticated caller, anywhere
    own_records: bool = False  # a MEMBER also reaches their own records
    scoped: bool = True  # False: a grant anywhere will do (no object to be in scope of)


TREE = Family("organisation tree, directives, campaigns, today, ruleSet", None, scoped=False)
CHANGE_TREE = Family("createOrganisation / updateOrganisation", STANDING)
DIRECTIVES = Family("issueDirective", STANDING, scoped=False)
CAMPAIGNS = Family("launchCampaign", STANDING)
CASE_READS = Family("dissolutionCase(s) reads", READERS)
RUN_CASE = Family(
    "recordDissemination, submitPlan, issueDissolutionDecision, recordAnnouncement, "
    "correctCaseStep",
    frozenset({WC}),
)
REVIEW_PLAN = Family("approvePlan, returnPlan", STANDING)
SET_TODAY = Family("setToday", STANDING, scoped=False)
PERSON_READS = Family("member/candidate personal reads", READERS, own_records=True)
TRANSFER_READS = Family("transfer reads", READERS, own_records=True)
CHANGE_PERSON = Family("registerMember … recordAdmissionCeremony … admitCandidate", frozenset({WC}))
ASSIGN_MENTOR = Family("assignMentor", frozenset({CS, WC}))
RUN_TRANSFER = Family("requestTransfer … recordOverdueReason", frozenset({WC}))
RECEIVE = Family("receiveTransfer, correctReception", frozenset({CS, WC}))
EVALUATION_READS = Family("evaluation reads", READERS, own_records=True)
SUMMARY = Family("evaluationSummary", READERS)
CELL_EVALUATES = Family(
    "assignTask, recordAssignmentResult, proposeRating, addSupervisionFeedback", frozenset({CS})
)
HOST_FEEDBACK = Family("addHostCellFeedback", frozenset({CS, WC}))
FINALISE = Family("finaliseRating", frozenset({WC}))
REOPEN = Family("reopenRating", frozenset({WC}))
SELF_ASSESS = Family("selfAssess", frozenset(), own_records=True)
WORKPLACE = Family(
    "submitWorkplaceAssessments", frozenset({Role.WORKPLACE_ASSESSOR, Role.INTEGRATION})
)
ACCESS_LOG = Family("access-log queries", frozenset({Role.AUDITOR}))
KEY_LOOKUP = Family("memberKeys", frozenset({Role.INTEGRATION}))


class Kind(Enum):
    READ = "read"
    LIST = "list"
    WRITE = "write"
    BULK = "bulk"


class Scope(Enum):
    OWN = "own"
    OTHER = "other"
    ANY = "any"


class Expect(Enum):
    ALLOWED = "ALLOWED"
    REFUSED = "REFUSED"


Variables = dict[str, Any]
Prepare = Callable[[World, Ward], Awaitable[Variables]]


@dataclass(frozen=True)
class Read:
    """Personal data an allowed answer reads, for the access log: `person` names the variable
    holding the person's id."""

    service: str
    person_type: str
    person: str
    fields: frozenset[str]


@dataclass(frozen=True)
class Operation:
    name: str
    family: Family
    query: str  # the answer of interest under the alias r
    prepare: Prepare
    kind: Kind = Kind.READ
    own_record: bool = False  # in ward A, the target is the MEMBER principal's own record
    cell: str = "agency"  # where a CELL_SECRETARY of ward A works for this operation
    listed: str = ""  # LIST: the variable whose id the list holds when allowed
    explicit: bool = False  # LIST: asks for an organisation's list, refused as FORBIDDEN
    guarded: tuple[str, ...] = ()  # READ: the fields null when refused, each r.<field>
    snapshot: str = ""  # WRITE, BULK: read back as staff, before and after
    reads: tuple[Read, ...] = ()
    needs_case: bool = False
    observable: bool = True  # an allowed write shows in the read-back (setToday sets today again)

    def variables(self, document: str, given: Variables) -> Variables:
        """The given variables the document declares."""
        return {name: given[name] for name in set(re.findall(r"\$(\w+)", document))}


@dataclass(frozen=True)
class Cell:
    role: Role
    scope: Scope
    operation: Operation
    expect: Expect

    @property
    def id(self) -> str:
        return f"{self.role.value}-{self.scope.value}-{self.operation.name}"


def expected(role: Role, scope: Scope, operation: Operation) -> Expect:
    family = operation.family
    if family.roles is None:
        return Expect.ALLOWED
    if scope is Scope.OTHER:
        return Expect.REFUSED
    if role in family.roles:
        return Expect.ALLOWED
    own = role is Role.MEMBER and family.own_records and operation.own_record
    return Expect.ALLOWED if own else Expect.REFUSED


def table(operations: list[Operation]) -> list[Cell]:
    cells = []
    for operation in operations:
        scoped = operation.family.scoped and operation.family.roles is not None
        for role in Role:
            for scope in (Scope.OWN, Scope.OTHER) if scoped else (Scope.ANY,):
                cells.append(Cell(role, scope, operation, expected(role, scope, operation)))
    return cells


def target_ward(world: World, cell: Cell) -> Ward:
    return world.other_ward(cell.role) if cell.scope is Scope.OTHER else world.wards["A"]


def case_pools(cells: list[Cell]) -> dict[str, int]:
    """How many spare cases each ward needs: one per allowed cell whose write consumes a case,
    and one per operation for the refused cells, which share it."""
    pools = {"A": 0, "B": 0, "C": 0}
    shared = set()
    for cell in cells:
        if cell.operation.needs_case:
            other = "C" if cell.role in STANDING else "B"
            ward = other if cell.scope is Scope.OTHER else "A"
            if cell.expect is Expect.ALLOWED:
                pools[ward] += 1
            else:
                shared.add((cell.operation.name, ward))
    for _, ward in shared:
        pools[ward] += 1
    return pools


_WORLDS: dict[str, World] = {}


async def shared_world(suite: Suite) -> World:
    """The world of this suite, built on first use with the spare cases the table needs."""
    key = str(suite.run_dir)
    if key not in _WORLDS:
        world = World(SecureGateway(suite))
        _WORLDS[key] = await world.build(case_pools(table(OPERATIONS)))
    return _WORLDS[key]


# what the operations act on


async def ids(world: World, ward: Ward) -> Variables:
    """The ward's standing objects, by the names the documents use."""
    return {
        "ward": ward.ward,
        "district": ward.district,
        "agency": ward.agency,
        "residential": ward.residential,
        "spare": ward.spare,
        "case": ward.case,
        "member": ward.person.id,
        "name": ward.person.name,
        "card": ward.person.card,
        "candidate": ward.applicant.id,
        "candidateName": ward.applicant.name,
        "transfer": ward.transfer,
        "period": PERIOD,
        "evaluation": f"{ward.person.id}:{PERIOD}",
        "cadreEvaluation": f"{ward.cadre}:{PERIOD}",
        "mentor": ward.mentor,
        "updatee": ward.updatee,
        "ranked": ward.ranked,
        "cadre": ward.cadre,
        "fellow": ward.fellow,
        "hosted": ward.hosted,
    }


def with_fresh(**makers: Callable[[World, Ward], Awaitable[Any]]) -> Prepare:
    async def prepare(world: World, ward: Ward) -> Variables:
        given = await ids(world, ward)
        for name, make in makers.items():
            given[name] = await make(world, ward)
        return given

    return prepare


async def fresh_number(world: World, _: Ward) -> str:
    return f"{world.tag}-{world.number()}"


async def fresh_period(world: World, _: Ward) -> str:
    return world.period()


async def fresh_member(world: World, ward: Ward) -> str:
    return (await world.person(ward, ward.agency)).id


async def probationary(world: World, ward: Ward) -> str:
    return (await world.person(ward, ward.agency, standing="PROBATIONARY")).id


async def fresh_card(world: World, _: Ward) -> str:
    card = world.card()
    RUN.personal_values([card], [])
    return card


async def new_member(world: World, ward: Ward) -> Variables:
    """registerMember's input: a member nobody registered yet."""
    card, born = await fresh_card(world, ward), world.born(1960)
    RUN.personal_values([], [born])
    return {
        "cardNumber": card,
        "fullName": f"Đảng viên mới {card}",
        "dateOfBirth": born.isoformat(),
        "gender": "FEMALE",
        "standing": "OFFICIAL",
        "admittedOn": "2000-01-10",
        "officialOn": "2001-01-10",
        "organisationId": ward.agency,
    }


async def new_candidate(world: World, ward: Ward) -> Variables:
    born = world.born(1985)
    RUN.personal_values([], [born])
    return {
        "fullName": f"Quần chúng mới {world.tag} {world.number()}",
        "dateOfBirth": born.isoformat(),
        "gender": "MALE",
        "organisationId": ward.agency,
        "on": "2019-05-01",
    }


def candidate_at(stage: str) -> Callable[[World, Ward], Awaitable[str]]:
    async def make(world: World, ward: Ward) -> str:
        return (await world.candidate(ward, stage)).id

    return make


def transfer_at(state: str) -> Callable[[World, Ward], Awaitable[str]]:
    async def make(world: World, ward: Ward) -> str:
        return await world.transfer(ward, state)

    return make


def case_at(stage: str) -> Callable[[World, Ward], Awaitable[str]]:
    async def make(world: World, ward: Ward) -> str:
        return await world.case(ward, stage)

    return make


async def proposed(world: World, ward: Ward) -> str:
    """A PROPOSED evaluation of the ward's ranked member, for a fresh period."""
    period = world.period()
    await world.gateway.staff(
        "mutation ($input: ProposeRatingInput!) { proposeRating(input: $input) { id } }",
        {"input": {"memberId": ward.ranked, "period": period, "rating": "COMPLETED"}},
    )
    return f"{ward.ranked}:{period}"


async def finalised(world: World, ward: Ward) -> str:
    """A FINALISED evaluation of the ward's ranked member, for a fresh period."""
    evaluation = await proposed(world, ward)
    await world.gateway.staff(
        "mutation ($input: FinaliseRatingInput!) { finaliseRating(input: $input) { id } }",
        {"input": {"evaluationId": evaluation, "rating": "COMPLETED"}},
    )
    return evaluation


async def received(world: World, ward: Ward) -> str:
    """A transfer received by the ward's residential cell on 2019-10-08."""
    transfer = await world.transfer(ward, "INTRODUCED")
    await world.gateway.staff(
        'mutation ($id: ID!) { receiveTransfer(id: $id, receivedOn: "2019-10-08") { id } }',
        {"id": transfer},
    )
    return transfer


async def assignment(world: World, ward: Ward) -> str:
    data = await world.gateway.staff(
        "mutation ($input: AssignTaskInput!) { assignTask(input: $input) { id } }",
        {"input": {"memberId": ward.ranked, "period": PERIOD, "task": "Thu đảng phí"}},
    )
    return str(data["assignTask"]["id"])


async def launch_input(world: World, ward: Ward) -> Variables:
    """A campaign at the ward's district over a new ward with an agency cell of its own."""
    key = f"N{world.number()}"
    new_ward = await world.organisation(
        key, f"Đảng ủy phường {key}", "WARD_COMMITTEE", ward.district
    )
    await world.cell(f"{key}-CQ", f"Chi bộ cơ quan {key}", new_ward, "AGENCY")
    return {
        "directiveNumber": await world.directive(),
        "districtCommitteeId": ward.district,
        "wardCommitteeIds": [new_ward],
        "planDeadline": "2019-09-30",
    }


async def directive_number(world: World, _: Ward) -> str:
    return world.directive_number()


async def today(world: World, _: Ward) -> str:
    return str((await world.gateway.staff("{ today }"))["today"])


def member_fields(*names: str, person: str = "member") -> Read:
    return Read("members", "PartyMember", person, frozenset(names))


def evaluation_fields(*names: str, person: str = "member") -> Read:
    return Read("evaluations", "Evaluation", person, frozenset(names))


def op(name: str, family: Family, query: str, prepare: Prepare = ids, **more: Any) -> Operation:
    return Operation(name, family, query, prepare, **more)


MUTATE, LIST, BULK = Kind.WRITE, Kind.LIST, Kind.BULK
ASSIGNMENTS = """
query ($ranked: ID!, $period: String!) {
  r: member(id: $ranked) { assignments(period: $period) { id result } }
}"""
MEMBER_COUNT = "query ($agency: ID!) { r: organisation(id: $agency) { memberCount } }"
STANDING_OF = "query ($fresh: ID!) { r: member(id: $fresh) { standing transfers { id state } } }"
TRANSFER_STATE = """
query ($fresh: ID!) {
  r: transfer(id: $fresh) { state checklist { memberRecordSheet } overdueReason }
}"""
CANDIDATE_STATE = "query ($fresh: ID!) { r: candidate(id: $fresh) { stage mentors { id } } }"
CASE_STAGE = "query ($fresh: ID!) { r: dissolutionCase(id: $fresh) { stage } }"
CASE_CORRECTIONS = (
    "query ($fresh: ID!) { r: dissolutionCase(id: $fresh) { dissemination { attendeeCount } "
    "corrections { field } } }"
)
RECEPTION = (
    "query ($fresh: ID!) { r: transfer(id: $fresh) { receivedOn receptionCorrections "
    "{ newReceivedOn } } }"
)
EVALUATION_STATE = """
query ($fresh: ID!) {
  r: evaluation(id: $fresh) { state selfRating finalRating supervisionFeedback { id } }
}"""

OPERATIONS: list[Operation] = [
    # organisations
    op(
        "organisation+directives+campaigns+today",
        TREE,
        "query ($agency: ID!) { r: organisation(id: $agency) { id name ancestors { id } } "
        "directives { number } campaigns { id } today }",
    ),
    op("ruleSet", TREE, '{ r: ruleSet(period: "2019") { name rules { id } } }'),
    op(
        "createOrganisation",
        CHANGE_TREE,
        "mutation ($ward: ID!, $fresh: String!) { r: createOrganisation(input: {code: $fresh, "
        'name: "Chi bộ mới", kind: CELL, cellType: RESIDENTIAL, parentId: $ward}) { id } }',
        with_fresh(fresh=fresh_number),
        kind=MUTATE,
        snapshot="query ($fresh: String!) { r: organisationByCode(code: $fresh) { id } }",
    ),
    op(
        "updateOrganisation",
        CHANGE_TREE,
        "mutation ($spare: ID!, $fresh: String!) { r: updateOrganisation(input: {id: $spare, "
        "name: $fresh}) { id } }",
        with_fresh(fresh=fresh_number),
        kind=MUTATE,
        snapshot="query ($spare: ID!) { r: organisation(id: $spare) { name version } }",
    ),
    op(
        "issueDirective",
        DIRECTIVES,
        "mutation ($fresh: String!) { r: issueDirective(input: {number: $fresh, issuer: "
        '"Quận ủy", issuedOn: "2019-09-05", title: "Kiểm thử"}) { number } }',
        with_fresh(fresh=directive_number),
        kind=MUTATE,
        snapshot="{ r: directives { number } }",
    ),
    op(
        "launchCampaign",
        CAMPAIGNS,
        "mutation ($fresh: LaunchCampaignInput!) { r: launchCampaign(input: $fresh) { id } }",
        with_fresh(fresh=launch_input),
        kind=MUTATE,
        snapshot="query ($district: ID!) { r: campaigns(districtCommitteeId: $district) { id } }",
    ),
    op(
        "dissolutionCase",
        CASE_READS,
        "query ($case: ID!) { r: dissolutionCase(id: $case) { id stage cell { id } } }",
    ),
    op("dissolutionCases", CASE_READS, "{ r: dissolutionCases { id } }", kind=LIST, listed="case"),
    op(
        "recordDissemination",
        RUN_CASE,
        "mutation ($fresh: ID!) { r: recordDissemination(input: {caseId: $fresh, heldOn: "
        '"2019-09-09", attendeeCount: 9, documents: ["383-CV/QU"]}) { stage } }',
        with_fresh(fresh=case_at("OPENED")),
        kind=MUTATE,
        snapshot=CASE_STAGE,
        needs_case=True,
    ),
    op(
        "submitPlan",
        RUN_CASE,
        "mutation ($fresh: ID!) { r: submitPlan(input: {caseId: $fresh, planNumber: "
        '"02-PA", planDate: "2019-09-12"}) { stage } }',
        with_fresh(fresh=case_at("DISSEMINATED")),
        kind=MUTATE,
        snapshot=CASE_STAGE,
        needs_case=True,
    ),
    op(
        "recordAnnouncement",
        RUN_CASE,
        "mutation ($fresh: ID!) { r: recordAnnouncement(input: {caseId: $fresh, heldOn: "
        '"2019-10-01"}) { stage } }',
        with_fresh(fresh=case_at("DECISION_ISSUED")),
        kind=MUTATE,
        snapshot=CASE_STAGE,
        needs_case=True,
    ),
    op(
        "returnPlan",
        REVIEW_PLAN,
        "mutation ($fresh: ID!) { r: returnPlan(input: {caseId: $fresh, returnedOn: "
        '"2019-09-20", reasons: "Bổ sung danh sách"}) { stage } }',
        with_fresh(fresh=case_at("PLAN_SUBMITTED")),
        kind=MUTATE,
        snapshot=CASE_STAGE,
        needs_case=True,
    ),
    op(
        "issueDissolutionDecision",
        RUN_CASE,
        "mutation ($fresh: ID!) { r: issueDissolutionDecision(input: {caseId: $fresh, "
        'decisionNumber: "126-QĐ/ĐU", signedOn: "2019-09-27", signer: "Bí thư", '
        'effectiveOn: "2019-10-01"}) { stage } }',
        with_fresh(fresh=case_at("PLAN_APPROVED")),
        kind=MUTATE,
        snapshot=CASE_STAGE,
        needs_case=True,
    ),
    op(
        "approvePlan",
        REVIEW_PLAN,
        "mutation ($fresh: ID!) { r: approvePlan(input: {caseId: $fresh, "
        'approvedOn: "2019-09-20"}) { stage } }',
        with_fresh(fresh=case_at("PLAN_SUBMITTED")),
        kind=MUTATE,
        snapshot=CASE_STAGE,
        needs_case=True,
    ),
    op(
        "correctCaseStep",
        RUN_CASE,
        "mutation ($fresh: ID!) { r: correctCaseStep(input: {caseId: $fresh, step: "
        'RECORD_DISSEMINATION, attendeeCount: 12, reason: "Đếm nhầm"}) { stage } }',
        with_fresh(fresh=case_at("DISSEMINATED")),
        kind=MUTATE,
        snapshot=CASE_CORRECTIONS,
        needs_case=True,
    ),
    op(
        "setToday",
        SET_TODAY,
        "mutation ($fresh: Date) { r: setToday(today: $fresh) }",
        with_fresh(fresh=today),
        kind=MUTATE,
        snapshot="{ r: today }",
        observable=False,
    ),
    # members: people
    op(
        "member",
        PERSON_READS,
        "query ($member: ID!) { r: member(id: $member) { id fullName cardNumber dateOfBirth } }",
        own_record=True,
        reads=(member_fields("fullName", "cardNumber", "dateOfBirth"),),
    ),
    op(
        "memberByCard",
        PERSON_READS,
        "query ($card: String!) { r: memberByCard(cardNumber: $card) { id fullName } }",
        own_record=True,
        reads=(member_fields("fullName"),),
    ),
    op(
        "memberKeys",
        KEY_LOOKUP,
        "query ($card: String!) { r: memberKeys(cardNumbers: [$card]) "
        "{ memberId refusal { code } } }",
        reads=(Read("members", "MemberKeyMatch", "member", frozenset({"memberId"})),),
    ),
    op(
        "members(search)",
        PERSON_READS,
        "query ($name: String!) { r: members(search: $name, first: 5) { nodes { id fullName } } }",
        kind=LIST,
        listed="member",
        own_record=True,
        reads=(member_fields("fullName"),),
    ),
    op(
        "candidate",
        PERSON_READS,
        "query ($candidate: ID!) { r: candidate(id: $candidate) { id fullName dateOfBirth } }",
        reads=(
            Read(
                "members", "AdmissionCandidate", "candidate", frozenset({"fullName", "dateOfBirth"})
            ),
        ),
    ),
    op(
        "candidates(search)",
        PERSON_READS,
        "query ($candidateName: String!) { r: candidates(search: $candidateName) { id fullName } }",
        kind=LIST,
        listed="candidate",
        reads=(Read("members", "AdmissionCandidate", "candidate", frozenset({"fullName"})),),
    ),
    op(
        "Organisation.members",
        PERSON_READS,
        "query ($agency: ID!) { r: organisation(id: $agency) { id members { id fullName } } }",
        reads=(member_fields("fullName"),),
        guarded=("members",),
    ),
    op(
        "Organisation.memberConnection+memberCount",
        PERSON_READS,
        "query ($agency: ID!) { r: organisation(id: $agency) { id memberCount "
        "memberConnection(first: 2) { totalCount } } }",
        guarded=("memberCount", "memberConnection"),
    ),
    op(
        "Organisation.candidates",
        PERSON_READS,
        "query ($agency: ID!) { r: organisation(id: $agency) { id candidates { id fullName } } }",
        reads=(Read("members", "AdmissionCandidate", "candidate", frozenset({"fullName"})),),
        guarded=("candidates",),
    ),
    op(
        "AdmissionCandidate.mentors",
        PERSON_READS,
        "query ($candidate: ID!) { r: candidate(id: $candidate) { id mentors { id fullName } } }",
        reads=(member_fields("fullName", person="mentor"),),
    ),
    op(
        "Transfer.member",
        PERSON_READS,
        "query ($transfer: ID!) { r: transfer(id: $transfer) { id member { id fullName } } }",
        own_record=True,
        reads=(member_fields("fullName"),),
    ),
    # members: transfers
    op(
        "transfer",
        TRANSFER_READS,
        "query ($transfer: ID!) { r: transfer(id: $transfer) { id personName state from { id } "
        "to { id } } }",
        own_record=True,
        reads=(Read("members", "Transfer", "member", frozenset({"personName"})),),
    ),
    op(
        "transfers",
        TRANSFER_READS,
        "{ r: transfers { id } }",
        kind=LIST,
        listed="transfer",
        own_record=True,
    ),
    op(
        "Organisation.incomingTransfers",
        TRANSFER_READS,
        "query ($residential: ID!) { r: organisation(id: $residential) { id "
        "incomingTransfers { id personName } } }",
        cell="residential",
        reads=(Read("members", "Transfer", "member", frozenset({"personName"})),),
        guarded=("incomingTransfers",),
    ),
    op(
        "DissolutionCase.transfers+transferProgress+proposedPlacements",
        TRANSFER_READS,
        "query ($case: ID!) { r: dissolutionCase(id: $case) { id transfers { id } "
        "transferProgress { total } "
        "proposedPlacements { personId fullName } } }",
        reads=(Read("members", "ProposedPlacement", "member", frozenset({"fullName"})),),
        guarded=("transfers", "transferProgress", "proposedPlacements"),
    ),
    op(
        "registerMember",
        CHANGE_PERSON,
        "mutation ($fresh: RegisterMemberInput!) { r: registerMember(input: $fresh) { id } }",
        with_fresh(fresh=new_member),
        kind=MUTATE,
        snapshot=MEMBER_COUNT,
    ),
    op(
        "updateMember",
        CHANGE_PERSON,
        "mutation ($updatee: ID!, $fresh: String!) { r: updateMember(id: $updatee, "
        "input: {workplace: {name: $fresh, role: CIVIL_SERVANT}}) { id } }",
        with_fresh(fresh=fresh_number),
        kind=MUTATE,
        snapshot="query ($updatee: ID!) { r: member(id: $updatee) { workplace { name } } }",
    ),
    op(
        "recognizeOfficial",
        CHANGE_PERSON,
        'mutation ($fresh: ID!) { r: recognizeOfficial(memberId: $fresh, officialOn: "2019-02-01") '
        "{ id } }",
        with_fresh(fresh=probationary),
        kind=MUTATE,
        snapshot=STANDING_OF,
    ),
    op(
        "recordAdmissionCeremony",
        CHANGE_PERSON,
        "mutation ($fresh: ID!) { r: recordAdmissionCeremony(memberId: $fresh, "
        'heldOn: "2018-01-20") { id } }',
        with_fresh(fresh=probationary),
        kind=MUTATE,
        snapshot="query ($fresh: ID!) { r: member(id: $fresh) { admissionCeremonyOn } }",
    ),
    op(
        "addCandidate",
        CHANGE_PERSON,
        "mutation ($fresh: AddCandidateInput!) { r: addCandidate(input: $fresh) { id } }",
        with_fresh(fresh=new_candidate),
        kind=MUTATE,
        snapshot="query ($agency: ID!) { r: organisation(id: $agency) { candidates { id } } }",
    ),
    op(
        "advanceCandidate",
        CHANGE_PERSON,
        "mutation ($fresh: ID!) { r: advanceCandidate(id: $fresh, stage: AWARENESS_TRAINED, "
        'on: "2019-05-02") { id } }',
        with_fresh(fresh=candidate_at("SOURCE")),
        kind=MUTATE,
        snapshot=CANDIDATE_STATE,
    ),
    op(
        "assignMentor",
        ASSIGN_MENTOR,
        "mutation ($fresh: ID!, $mentor: ID!) { r: assignMentor(candidateId: $fresh, "
        "memberId: $mentor) { id } }",
        with_fresh(fresh=candidate_at("SOURCE")),
        kind=MUTATE,
        snapshot=CANDIDATE_STATE,
    ),
    op(
        "admitCandidate",
        CHANGE_PERSON,
        "mutation ($fresh: ID!, $freshCard: String!) { r: admitCandidate(id: $fresh, "
        'cardNumber: $freshCard, admittedOn: "2019-06-01") { member { id } } }',
        with_fresh(fresh=candidate_at("SPONSORED"), freshCard=fresh_card),
        kind=MUTATE,
        snapshot=CANDIDATE_STATE,
    ),
    op(
        "requestTransfer",
        RUN_TRANSFER,
        "mutation ($fresh: ID!, $residential: ID!) { r: requestTransfer(input: {memberId: $fresh, "
        'kind: INTERNAL, reason: OTHER, requestedOn: "2019-09-27", '
        "toOrganisationId: $residential}) { id } }",
        with_fresh(fresh=fresh_member),
        kind=MUTATE,
        snapshot=STANDING_OF,
    ),
    op(
        "setTransferDestination",
        RUN_TRANSFER,
        "mutation ($fresh: ID!, $spare: ID!) { r: setTransferDestination(id: $fresh, "
        "organisationId: $spare) { id } }",
        with_fresh(fresh=transfer_at("AWAITING_INTRODUCTION")),
        kind=MUTATE,
        snapshot="query ($fresh: ID!) { r: transfer(id: $fresh) { to { id } } }",
    ),
    op(
        "issueIntroduction",
        RUN_TRANSFER,
        'mutation ($fresh: ID!) { r: issueIntroduction(id: $fresh, letterNo: "02-GGT", '
        'issuedOn: "2019-10-01") { id } }',
        with_fresh(fresh=transfer_at("AWAITING_INTRODUCTION")),
        kind=MUTATE,
        snapshot=TRANSFER_STATE,
    ),
    op(
        "recordTransferChecklist",
        RUN_TRANSFER,
        "mutation ($fresh: ID!) { r: recordTransferChecklist(id: $fresh, "
        "checklist: {memberRecordSheet: true}) { id } }",
        with_fresh(fresh=transfer_at("AWAITING_INTRODUCTION")),
        kind=MUTATE,
        snapshot=TRANSFER_STATE,
    ),
    op(
        "cancelTransfer",
        RUN_TRANSFER,
        'mutation ($fresh: ID!) { r: cancelTransfer(id: $fresh, reason: "Ở lại") { id } }',
        with_fresh(fresh=transfer_at("AWAITING_INTRODUCTION")),
        kind=MUTATE,
        snapshot=TRANSFER_STATE,
    ),
    op(
        "recordOverdueReason",
        RUN_TRANSFER,
        'mutation ($fresh: ID!) { r: recordOverdueReason(id: $fresh, reason: "Ốm") { id } }',
        with_fresh(fresh=transfer_at("INTRODUCED")),
        kind=MUTATE,
        snapshot=TRANSFER_STATE,
    ),
    op(
        "receiveTransfer",
        RECEIVE,
        'mutation ($fresh: ID!) { r: receiveTransfer(id: $fresh, receivedOn: "2019-10-08") '
        "{ id } }",
        with_fresh(fresh=transfer_at("INTRODUCED")),
        kind=MUTATE,
        cell="residential",
        snapshot=TRANSFER_STATE,
    ),
    op(
        "correctReception",
        RECEIVE,
        'mutation ($fresh: ID!) { r: correctReception(id: $fresh, receivedOn: "2019-10-07", '
        'reason: "Ghi nhầm ngày") { id } }',
        with_fresh(fresh=received),
        kind=MUTATE,
        cell="residential",
        snapshot=RECEPTION,
    ),
    # evaluations
    op(
        "evaluation",
        EVALUATION_READS,
        "query ($evaluation: ID!) { r: evaluation(id: $evaluation) { id state proposedRating "
        "assignments { task } workplaceAssessments { rating } } }",
        own_record=True,
        reads=(
            evaluation_fields("proposedRating", "assignments", "workplaceAssessments"),
            Read("evaluations", "Assignment", "member", frozenset({"task"})),
            Read("evaluations", "WorkplaceAssessment", "member", frozenset({"rating"})),
        ),
    ),
    op(
        "Evaluation.member",
        EVALUATION_READS,
        "query ($evaluation: ID!) { r: evaluation(id: $evaluation) { id member { id fullName } } }",
        own_record=True,
        reads=(member_fields("fullName"),),
    ),
    op(
        "evaluations(organisationId)",
        EVALUATION_READS,
        "query ($agency: ID!, $period: String!) { r: evaluations(organisationId: $agency, "
        "period: $period) { id proposedRating } }",
        kind=LIST,
        listed="evaluation",
        explicit=True,
        own_record=True,
        reads=(evaluation_fields("proposedRating"),),
    ),
    op(
        "evaluationConnection(organisationId)",
        EVALUATION_READS,
        "query ($agency: ID!, $period: String!) { r: evaluationConnection(organisationId: $agency, "
        "period: $period, first: 50) { totalCount edges { node { id proposedRating } } } }",
        kind=LIST,
        listed="evaluation",
        explicit=True,
        own_record=True,
        reads=(evaluation_fields("proposedRating"),),
    ),
    op(
        "PartyMember.evaluations+assignments+workplaceAssessments",
        EVALUATION_READS,
        "query ($member: ID!, $period: String!) { r: member(id: $member) { id "
        "evaluations(period: $period) { id proposedRating } assignments(period: $period) "
        "{ task } workplaceAssessments(period: $period) { rating } } }",
        own_record=True,
        reads=(
            evaluation_fields("proposedRating"),
            Read("evaluations", "Assignment", "member", frozenset({"task"})),
            Read("evaluations", "WorkplaceAssessment", "member", frozenset({"rating"})),
        ),
    ),
    op(
        "PartyMember.evaluatedBy",
        EVALUATION_READS,
        "query ($member: ID!, $period: String!) { r: member(id: $member) { id "
        "evaluatedBy(period: $period) { id } } }",
        own_record=True,
        guarded=("evaluatedBy",),
    ),
    op(
        "Evaluation.supervisionFeedback",
        EVALUATION_READS,
        "query ($cadreEvaluation: ID!) { r: evaluation(id: $cadreEvaluation) { id "
        "supervisionFeedback { comment } } }",
        cell="residential",
        reads=(
            evaluation_fields("supervisionFeedback", person="cadre"),
            Read("evaluations", "SupervisionFeedback", "cadre", frozenset({"comment"})),
        ),
    ),
    op(
        "Organisation.evaluationSummary",
        SUMMARY,
        "query ($agency: ID!, $period: String!) { r: organisation(id: $agency) { id "
        "evaluationSummary(period: $period) { evaluated finalised } } }",
        guarded=("evaluationSummary",),
    ),
    op(
        "assignTask",
        CELL_EVALUATES,
        "mutation ($ranked: ID!, $period: String!) { r: assignTask(input: {memberId: $ranked, "
        'period: $period, task: "Tuyên truyền"}) { id } }',
        kind=MUTATE,
        snapshot=ASSIGNMENTS,
    ),
    op(
        "recordAssignmentResult",
        CELL_EVALUATES,
        "mutation ($fresh: ID!) { r: recordAssignmentResult(input: {assignmentId: $fresh, "
        "result: DONE}) { id } }",
        with_fresh(fresh=assignment),
        kind=MUTATE,
        snapshot=ASSIGNMENTS,
    ),
    op(
        "proposeRating",
        CELL_EVALUATES,
        "mutation ($ranked: ID!, $fresh: String!) { r: proposeRating(input: {memberId: $ranked, "
        "period: $fresh, rating: GOOD}) { id } }",
        with_fresh(fresh=fresh_period),
        kind=MUTATE,
        snapshot="query ($ranked: ID!, $fresh: String!) { r: member(id: $ranked) "
        "{ evaluations(period: $fresh) { state proposedRating } } }",
    ),
    op(
        "addSupervisionFeedback",
        CELL_EVALUATES,
        "mutation ($cadre: ID!, $fellow: ID!, $period: String!) { r: addSupervisionFeedback("
        'input: {memberId: $cadre, byMemberId: $fellow, period: $period, comment: "Nhiệt tình"}) '
        "{ id } }",
        kind=MUTATE,
        cell="residential",
        snapshot="query ($cadre: ID!, $period: String!) { r: member(id: $cadre) "
        "{ evaluations(period: $period) { supervisionFeedback { id } } } }",
    ),
    op(
        "addHostCellFeedback",
        HOST_FEEDBACK,
        "mutation ($hosted: ID!, $residential: ID!, $period: String!) { r: addHostCellFeedback("
        "input: {memberId: $hosted, period: $period, organisationId: $residential, "
        'comment: "Sinh hoạt đầy đủ"}) { id } }',
        kind=MUTATE,
        cell="residential",
        snapshot="query ($hosted: ID!, $period: String!) { r: member(id: $hosted) "
        "{ evaluations(period: $period) { hostCellFeedback { id } } } }",
    ),
    op(
        "finaliseRating",
        FINALISE,
        "mutation ($fresh: ID!) { r: finaliseRating(input: {evaluationId: $fresh, "
        "rating: COMPLETED}) { id } }",
        with_fresh(fresh=proposed),
        kind=MUTATE,
        snapshot=EVALUATION_STATE,
    ),
    op(
        "reopenRating",
        REOPEN,
        "mutation ($fresh: ID!) { r: reopenRating(input: {evaluationId: $fresh, "
        'reason: "Xếp loại lại"}) { id } }',
        with_fresh(fresh=finalised),
        kind=MUTATE,
        snapshot=EVALUATION_STATE,
    ),
    op(
        "selfAssess",
        SELF_ASSESS,
        "mutation ($member: ID!, $fresh: String!) { r: selfAssess(input: {memberId: $member, "
        "period: $fresh, rating: GOOD}) { id } }",
        with_fresh(fresh=fresh_period),
        kind=MUTATE,
        own_record=True,
        snapshot="query ($member: ID!, $fresh: String!) { r: member(id: $member) "
        "{ evaluations(period: $fresh) { state selfRating } } }",
    ),
    op(
        "submitWorkplaceAssessments",
        WORKPLACE,
        "mutation ($member: ID!, $fresh: String!, $period: String!) { r: "
        'submitWorkplaceAssessments(input: {submitter: "Hệ thống thành phố", items: [{externalId: '
        '$fresh, memberId: $member, period: $period, assessorRole: "CITY_SYSTEM", assessorName: '
        '"HCM", rating: "GOOD"}]}) { recorded rejected items { outcome error { code } } } }',
        with_fresh(fresh=fresh_number),
        kind=BULK,
        snapshot="query ($member: ID!, $period: String!) { r: member(id: $member) "
        "{ workplaceAssessments(period: $period) { id } } }",
    ),
    # the access logs
    op(
        "memberDataAccessLog",
        ACCESS_LOG,
        "query ($member: ID!) { r: memberDataAccessLog(personId: $member, first: 5) "
        "{ personId fields } }",
        kind=LIST,
        listed="member",
    ),
    op(
        "evaluationDataAccessLog",
        ACCESS_LOG,
        "query ($member: ID!) { r: evaluationDataAccessLog(personId: $member, first: 5) "
        "{ personId fields } }",
        kind=LIST,
        listed="member",
    ),
]
