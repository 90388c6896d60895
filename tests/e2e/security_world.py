"""The world the security tests run in, built through the gateway as the district's staff: a
city, district D with wards A and B, district D2 with ward C; in each ward an agency cell (its
dissolution case open), a residential cell, members, a candidate, a transfer under way between
the two cells, a member of the agency cell on a TEMPORARY stay in the residential one, and an
evaluation with its task, job result and supervision feedback. Fresh
objects come on demand for the writes that consume them (a case's step, an admission, …).

Ward A is where the principals of every role work; ward B is the other scope for them, and
ward C (another district) for the district standing committee, whose grant covers all of D."""

import asyncio
import itertools
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from kit.identity import Grant, Principal, Role

from tests.e2e.security_gateway import RUN, SecureGateway

T = TypeVar("T")
PERIOD = "2019-11"  # the world's evaluations
CREATE = "mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }"
ISSUE = "mutation ($input: IssueDirectiveInput!) { issueDirective(input: $input) { number } }"
LAUNCH = """
mutation ($input: LaunchCampaignInput!) {
  launchCampaign(input: $input) { cases { id cell { id } } }
}"""
STEP = "mutation ($input: {type}!) {{ {name}(input: $input) {{ stage }} }}"
CASE_STAGES = ["OPENED", "DISSEMINATED", "PLAN_SUBMITTED", "PLAN_APPROVED", "DECISION_ISSUED"]
CASE_STEPS: list[tuple[str, dict[str, Any]]] = [
    ("recordDissemination", {"heldOn": "2019-09-09", "attendeeCount": 9, "documents": []}),
    ("submitPlan", {"planNumber": "01-PA", "planDate": "2019-09-12"}),
    ("approvePlan", {"approvedOn": "2019-09-20"}),
    (
        "issueDissolutionDecision",
        {
            "decisionNumber": "125-QĐ/ĐU",
            "signedOn": "2019-09-27",
            "signer": "Bí thư Đảng ủy phường",
            "effectiveOn": "2019-10-01",
        },
    ),
]
REGISTER = "mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }"
ADD_CANDIDATE = "mutation ($input: AddCandidateInput!) { addCandidate(input: $input) { id } }"
ADVANCE = """
mutation ($id: ID!, $stage: CandidateStage!) {
  advanceCandidate(id: $id, stage: $stage, on: "2019-05-02") { stage }
}"""
MENTOR = """
mutation ($candidate: ID!, $mentor: ID!) {
  assignMentor(candidateId: $candidate, memberId: $mentor) { id }
}"""
REQUEST = "mutation ($input: RequestTransferInput!) { requestTransfer(input: $input) { id } }"
INTRODUCE = """
mutation ($id: ID!) {
  issueIntroduction(id: $id, letterNo: "01-GGT", issuedOn: "2019-10-01") { id }
}"""
RECEIVE = 'mutation ($id: ID!) { receiveTransfer(id: $id, receivedOn: "2019-10-08") { id } }'
HOSTED = """
query ($id: ID!, $period: String!) { member(id: $id) { hostedBy(period: $period) { id } } }
"""
ASSIGN = "mutation ($input: AssignTaskInput!) { assignTask(input: $input) { id } }"
PROPOSE = "mutation ($input: ProposeRatingInput!) { proposeRating(input: $input) { id } }"
SUBMIT = """
mutation ($input: SubmitWorkplaceAssessmentsInput!) {
  submitWorkplaceAssessments(input: $input) { recorded items { error { code message } } }
}"""
SEEN = """
query ($id: ID!, $evaluation: ID!) {
  member(id: $id) { fullName } evaluation(id: $evaluation) { proposedRating }
}"""
FEEDBACK = """
mutation ($input: AddSupervisionFeedbackInput!) { addSupervisionFeedback(input: $input) { id } }
"""


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    card: str | None
    born: date


@dataclass
class Ward:
    key: str
    district: str
    ward: str
    agency: str
    residential: str
    spare: str
    case: str = ""
    pool: list[str] = field(default_factory=list)  # spare agency cells; once launched, their cases
    subject: Person | None = None  # the member whose records the reads look at
    mentor: str = ""
    updatee: str = ""
    ranked: str = ""  # evaluated with fresh periods by the evaluation writes
    cadre: str = ""  # in the residential cell, the subject of supervision feedback
    fellow: str = ""
    candidate: Person | None = None
    transfer: str = ""
    hosted: str = ""  # of the agency cell, on a TEMPORARY stay in the residential cell

    @property
    def person(self) -> Person:
        assert self.subject is not None
        return self.subject

    @property
    def applicant(self) -> Person:
        assert self.candidate is not None
        return self.candidate


class World:
    def __init__(self, gateway: SecureGateway) -> None:
        self.gateway = gateway
        self.tag = uuid.uuid4().hex[:6].upper()
        self.wards: dict[str, Ward] = {}
        self.city = ""
        self.shared: dict[tuple[str, str], dict[str, Any]] = {}  # objects refused writes share
        self._numbers = itertools.count(1)
        self._periods = itertools.count(0)

    # what the principals of each role are

    def principal(self, role: Role, cell: str = "agency", ward: str = "A") -> Principal:
        """The principal of `role` working in a ward (A unless named): the standing committee
        of its district, the ward's committee, auditor and workplace assessors, the secretary
        of its agency (or residential) cell, and the ward's subject member."""
        home = self.wards[ward]
        subject = f"sec-{self.tag}-{ward}-{role.value.lower()}"
        if role is Role.MEMBER:
            return Principal(subject, f"Đảng viên {ward}", (Grant(role),), home.person.id)
        organisation = {
            Role.DISTRICT_STANDING: home.district,
            Role.CITY_COMMITTEE: home.district,  # its tree, as the district's was
            Role.CELL_SECRETARY: home.residential if cell == "residential" else home.agency,
        }.get(role, home.ward)
        if role is Role.CELL_SECRETARY:
            subject = f"{subject}-{cell}"
        return Principal(subject, f"{role.value} {ward} (kiểm thử)", (Grant(role, organisation),))

    def other_ward(self, role: Role) -> Ward:
        standing = (Role.DISTRICT_STANDING, Role.CITY_COMMITTEE)
        return self.wards["C" if role in standing else "B"]

    # fresh numbers

    def number(self) -> int:
        return next(self._numbers)

    def card(self) -> str:
        return f"{self.tag}-{self.number():05d}"

    def period(self) -> str:
        """A month of 2018-2024 no other test of the run has used."""
        n = next(self._periods)
        return f"{2018 + n // 12}-{n % 12 + 1:02d}"

    def born(self, first_year: int) -> date:
        return date(first_year, 1, 1) + timedelta(days=11 * self.number())

    # building

    async def build(self, pools: dict[str, int]) -> "World":
        self.city = await self.organisation("HN", "Thành ủy (kiểm thử)", "CITY_COMMITTEE", None)
        districts = {
            d: await self.organisation(d, f"Quận ủy {d}", "DISTRICT_COMMITTEE", self.city)
            for d in ("D1", "D2")
        }
        for key, district in (("A", "D1"), ("B", "D1"), ("C", "D2")):
            await self.build_ward(key, districts[district], pools.get(key, 0))
        await self.launch(districts["D1"], ["A", "B"])
        await self.launch(districts["D2"], ["C"])
        await asyncio.gather(*(self.people(ward) for ward in self.wards.values()))
        await asyncio.gather(*(self.evaluations(ward) for ward in self.wards.values()))
        for ward in self.wards.values():  # every ward's subject has entries in the access logs
            await self.gateway.staff(
                SEEN, {"id": ward.person.id, "evaluation": f"{ward.person.id}:{PERIOD}"}
            )
        return self

    async def organisation(self, code: str, name: str, kind: str, parent: str | None) -> str:
        fields: dict[str, Any] = {"code": f"{self.tag}-{code}", "name": name, "kind": kind}
        if parent is not None:
            fields["parentId"] = parent
        return await self.create(fields)

    async def cell(self, code: str, name: str, ward: str, cell_type: str) -> str:
        fields: dict[str, Any] = {
            "code": f"{self.tag}-{code}",
            "name": name,
            "kind": "CELL",
            "cellType": cell_type,
            "parentId": ward,
        }
        if cell_type == "RESIDENTIAL":
            fields["coverage"] = [f"TDP {self.tag} {code}"]
        return await self.create(fields)

    async def create(self, fields: dict[str, Any]) -> str:
        data = await self.gateway.staff(CREATE, {"input": fields})
        return str(data["createOrganisation"]["id"])

    async def build_ward(self, key: str, district: str, pool: int) -> None:
        ward = await self.organisation(key, f"Đảng ủy phường {key}", "WARD_COMMITTEE", district)
        built = Ward(
            key,
            district,
            ward,
            agency=await self.cell(f"{key}-CQ", f"Chi bộ cơ quan {key}", ward, "AGENCY"),
            residential=await self.cell(f"{key}-TDP", f"Chi bộ TDP {key}", ward, "RESIDENTIAL"),
            spare=await self.cell(f"{key}-TDP2", f"Chi bộ TDP2 {key}", ward, "RESIDENTIAL"),
        )
        for n in range(pool):
            spare = await self.cell(f"{key}-P{n}", f"Chi bộ cơ quan dự phòng {n}", ward, "AGENCY")
            built.pool.append(spare)
        self.wards[key] = built

    def directive_number(self) -> str:
        return f"{self.number()}{int(self.tag, 16)}-CV/QU"

    async def directive(self) -> str:
        number = self.directive_number()
        await self.gateway.staff(
            ISSUE,
            {
                "input": {
                    "number": number,
                    "issuer": "Ban Thường vụ Quận ủy (kiểm thử)",
                    "issuedOn": "2019-09-05",
                    "title": "Giải thể chi bộ cơ quan (kiểm thử)",
                }
            },
        )
        return number

    async def launch(self, district: str, keys: list[str]) -> None:
        wards = [self.wards[key] for key in keys]
        data = await self.gateway.staff(
            LAUNCH,
            {
                "input": {
                    "directiveNumber": await self.directive(),
                    "districtCommitteeId": district,
                    "wardCommitteeIds": [w.ward for w in wards],
                    "planDeadline": "2019-09-15",
                }
            },
        )
        by_cell = {case["cell"]["id"]: case["id"] for case in data["launchCampaign"]["cases"]}
        for ward in wards:
            ward.case = by_cell.pop(ward.agency)
        for ward in wards:
            ward.pool = [by_cell[cell] for cell in ward.pool]

    async def people(self, ward: Ward) -> None:
        async def first() -> Person:  # the members service learns of the cells by their events
            return await self.person(ward, ward.agency, workplace="CADRE")

        ward.subject = await eventually(first)
        ward.mentor = (await self.person(ward, ward.agency)).id
        ward.updatee = (await self.person(ward, ward.agency)).id
        ward.ranked = (await self.person(ward, ward.agency, workplace="OTHER")).id
        ward.cadre = (await eventually(lambda: self.person(ward, ward.residential, "CADRE"))).id
        ward.fellow = (await self.person(ward, ward.residential)).id
        ward.candidate = await self.candidate(ward)
        await self.gateway.staff(MENTOR, {"candidate": ward.applicant.id, "mentor": ward.mentor})
        ward.transfer = await self.transfer(ward, "INTRODUCED", ward.person.id)
        ward.hosted = await self.temporary_stay(ward)

    async def person(
        self,
        ward: Ward,
        cell: str,
        workplace: str = "CIVIL_SERVANT",
        standing: str = "OFFICIAL",
    ) -> Person:
        card, born, n = self.card(), self.born(1960), self.number()
        name = f"Đảng viên {ward.key} {self.tag} {n}"
        official = standing == "OFFICIAL"
        data = await self.gateway.staff(
            REGISTER,
            {
                "input": {
                    "cardNumber": card,
                    "fullName": name,
                    "dateOfBirth": born.isoformat(),
                    "gender": "MALE" if n % 2 else "FEMALE",
                    "standing": standing,
                    "admittedOn": "2000-01-10" if official else "2018-01-10",
                    "officialOn": "2001-01-10" if official else None,
                    "organisationId": cell,
                    "residence": {"address": f"Phường {ward.key}", "residentialGroup": "TDP 1"},
                    "workplace": {"name": f"UBND phường {ward.key}", "role": workplace},
                }
            },
        )
        RUN.personal_values([card], [born])
        RUN.registered.add(card)
        return Person(str(data["registerMember"]["id"]), name, card, born)

    async def candidate(self, ward: Ward, stage: str = "SOURCE") -> Person:
        born, n = self.born(1985), self.number()
        name = f"Quần chúng {ward.key} {self.tag} {n}"
        data = await self.gateway.staff(
            ADD_CANDIDATE,
            {
                "input": {
                    "fullName": name,
                    "dateOfBirth": born.isoformat(),
                    "gender": "FEMALE",
                    "organisationId": ward.agency,
                    "on": "2019-05-01",
                }
            },
        )
        RUN.personal_values([], [born])
        candidate = str(data["addCandidate"]["id"])
        stages = ["SOURCE", "AWARENESS_TRAINED", "SPONSORED"]
        for step in stages[1 : stages.index(stage) + 1]:
            await self.gateway.staff(ADVANCE, {"id": candidate, "stage": step})
        return Person(candidate, name, None, born)

    async def transfer(self, ward: Ward, state: str, member: str | None = None) -> str:
        """A transfer of a member (fresh unless given) from the agency cell to the residential
        one, AWAITING_INTRODUCTION or INTRODUCED."""
        member = member or (await self.person(ward, ward.agency)).id
        data = await self.gateway.staff(
            REQUEST,
            {
                "input": {
                    "memberId": member,
                    "kind": "INTERNAL",
                    "reason": "OTHER",
                    "requestedOn": "2019-09-27",
                    "toOrganisationId": ward.residential,
                }
            },
        )
        transfer = str(data["requestTransfer"]["id"])
        if state == "INTRODUCED":
            await self.gateway.staff(INTRODUCE, {"id": transfer})
        return transfer

    async def temporary_stay(self, ward: Ward) -> str:
        """A fresh member of the agency cell, hosted by the residential cell from 08/10/2019
        to 31/3/2020 on a TEMPORARY stay (still ranked by the agency cell)."""
        member = (await self.person(ward, ward.agency)).id
        data = await self.gateway.staff(
            REQUEST,
            {
                "input": {
                    "memberId": member,
                    "kind": "TEMPORARY",
                    "reason": "RELOCATION",
                    "requestedOn": "2019-10-01",
                    "toOrganisationId": ward.residential,
                    "until": "2020-03-31",
                }
            },
        )
        transfer = str(data["requestTransfer"]["id"])
        await self.gateway.staff(INTRODUCE, {"id": transfer})
        await self.gateway.staff(RECEIVE, {"id": transfer})
        return member

    async def case(self, ward: Ward, stage: str = "OPENED") -> str:
        """One of the ward's spare cases, walked by the staff to `stage`."""
        case = ward.pool.pop()
        for name, fields in CASE_STEPS[: CASE_STAGES.index(stage)]:
            kind = name[0].upper() + name[1:] + "Input"
            await self.gateway.staff(
                STEP.format(type=kind, name=name), {"input": {"caseId": case, **fields}}
            )
        return case

    async def evaluations(self, ward: Ward) -> None:
        """The subject's evaluation for PERIOD: a task, a job result, a proposal; the cadre of
        the residential cell gets a fellow member's feedback."""
        members = [ward.person.id, ward.ranked, ward.cadre, ward.fellow]

        asked = " ".join(  # the four in one query
            f'm{n}: member(id: "{member}") {{ evaluatedBy(period: $period) {{ id }} }}'
            for n, member in enumerate(members)
        )
        on_roster = f"query ($period: String!) {{ {asked} }}"

        async def enrolled() -> bool:
            data = await self.gateway.staff(on_roster, {"period": PERIOD})
            assert all(m["evaluatedBy"] for m in data.values()), "not on the roster yet"
            return True

        await eventually(enrolled)

        async def hosted() -> bool:  # the roster noted the stay
            data = await self.gateway.staff(HOSTED, {"id": ward.hosted, "period": PERIOD})
            assert data["member"]["hostedBy"] == [{"id": ward.residential}], "stay not noted yet"
            return True

        await eventually(hosted)
        subject = ward.person.id
        await self.gateway.staff(
            ASSIGN, {"input": {"memberId": subject, "period": PERIOD, "task": "Trực tổ dân phố"}}
        )
        await self.assess(subject, PERIOD, f"{self.tag}-{ward.key}-world")
        await self.gateway.staff(
            PROPOSE, {"input": {"memberId": subject, "period": PERIOD, "rating": "COMPLETED"}}
        )
        await self.gateway.staff(
            FEEDBACK,
            {
                "input": {
                    "memberId": ward.cadre,
                    "byMemberId": ward.fellow,
                    "period": PERIOD,
                    "comment": "Gương mẫu ở khu dân cư",
                }
            },
        )

    async def assess(self, member: str, period: str, external_id: str) -> None:
        data = await self.gateway.staff(
            SUBMIT,
            {
                "input": {
                    "submitter": "Chủ tịch UBND phường (kiểm thử)",
                    "items": [
                        {
                            "externalId": external_id,
                            "memberId": member,
                            "period": period,
                            "assessorRole": "PEOPLES_COMMITTEE_CHAIR",
                            "assessorName": "Chủ tịch UBND phường",
                            "rating": "COMPLETED",
                        }
                    ],
                }
            },
        )
        assert data["submitWorkplaceAssessments"]["recorded"] == 1, data


async def eventually(
    check: Callable[[], Awaitable[T]], timeout: float = 30.0, interval: float = 0.2
) -> T:
    """`check`'s result once it stops failing (the services learn from each other by events)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            return await check()
        except AssertionError:
            if asyncio.get_running_loop().time() > deadline:
                raise
        await asyncio.sleep(interval)
