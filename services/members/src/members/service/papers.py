"""The papers the members service issues, set from its records (libs/papers)."""

import asyncio

from papers import (
    HandedOverPerson,
    HandOverDecision,
    HandOverRecord,
    IntroducedCandidate,
    IntroducedMember,
    IntroductionLetter,
    Letterhead,
    Move,
    Paper,
    Signer,
    render_hand_over_record,
    render_introduction_letter,
)

from members.domain import (
    AdmissionCandidate,
    DissolutionCase,
    PartyMember,
    PersonKind,
    Standing,
    Transfer,
    TransferState,
)
from members.domain.errors import InvalidTransition
from members.domain.organisations import KnownOrganisation
from members.service.ports import (
    CandidateRepository,
    MemberRepository,
    OrganisationDirectory,
    TransferFilter,
    TransferRepository,
)

MOVES = {"OFFICIAL": Move.OFFICIAL, "TEMPORARY": Move.TEMPORARY, "INTERNAL": Move.INTERNAL}
ON_BEHALF = {"WARD_COMMITTEE": "T/M ĐẢNG ỦY", "CELL": "T/M CHI ỦY"}


class Papers:
    def __init__(
        self,
        organisations: OrganisationDirectory,
        transfers: TransferRepository,
        members: MemberRepository,
        candidates: CandidateRepository,
        place: str,
    ) -> None:
        self.organisations = organisations
        self.transfers = transfers
        self.members = members
        self.candidates = candidates
        self.place = place

    async def introduction_letter(
        self, transfer: Transfer, person: PartyMember | AdmissionCandidate
    ) -> Paper:
        """The introduction letter [giấy giới thiệu sinh hoạt đảng] of an introduced transfer,
        as its committee issued it: number and date, the person, where from and where to, and
        the day it is valid until (its report-by date)."""
        if transfer.letter_no is None or transfer.issued_on is None:
            raise InvalidTransition(
                f"Transfer {transfer.id} is {transfer.state.value}: no letter has been issued.",
                transferId=transfer.id,
                state=transfer.state.value,
            )
        source = await self._named(transfer.from_organisation_id)
        issuer = await self._named(transfer.ward_committee_id or source.parent_id)
        upper = await self._named(issuer.parent_id)
        destination = (
            (await self._named(transfer.to_organisation_id)).name
            if transfer.to_organisation_id
            else transfer.destination_name or ""
        )
        letter = IntroductionLetter(
            letterhead=Letterhead(
                upper_committee=upper.name,
                committee=issuer.name,
                number=transfer.letter_no,
                place=self.place,
                dated=transfer.issued_on,
            ),
            person=_introduced(person),
            move=MOVES[transfer.kind.value],
            from_cell=source.name,
            to=destination,
            report_by=transfer.report_by,
            regulation=transfer.regulation,
            dues_paid_through=transfer.checklist.dues_paid_through,
            signer=Signer(ON_BEHALF.get(issuer.kind), "BÍ THƯ"),
        )
        return await asyncio.to_thread(render_introduction_letter, letter)

    async def hand_over_record(self, case: DissolutionCase) -> tuple[Paper, list[Transfer]]:
        """The hand-over record of a dissolved cell's member list [biên bản bàn giao sổ danh
        sách đảng viên]: everyone its decision moves (members and candidates, a cancelled move
        left out), each with the cell that receives them; and the transfers it lists, whose
        persons the caller has now read."""
        day = case.effective_on or case.decided_on
        if not case.decided or day is None:
            raise InvalidTransition(
                f"Case {case.id} has no decision yet: there is nothing to hand over.",
                caseId=case.id,
            )
        moves = [
            t
            for t in await self.transfers.find(TransferFilter(case_id=case.id))
            if t.state is not TransferState.CANCELLED
        ]
        member_ids = [t.person_id for t in moves if t.person_kind is PersonKind.MEMBER]
        candidate_ids = [t.person_id for t in moves if t.person_kind is PersonKind.CANDIDATE]
        people: dict[str, PartyMember | AdmissionCandidate] = {
            **{m.id: m for m in await self.members.get_many(member_ids)},
            **{c.id: c for c in await self.candidates.get_many(candidate_ids)},
        }
        cell_ids = {case.cell_id, case.ward_committee_id, *(t.to_organisation_id for t in moves)}
        known = {o.id: o for o in await self.organisations.get_many([i for i in cell_ids if i])}
        cell = known.get(case.cell_id) or await self._named(case.cell_id)
        ward = known.get(case.ward_committee_id) or await self._named(case.ward_committee_id)
        upper = await self._named(ward.parent_id)
        record = HandOverRecord(
            letterhead=Letterhead(upper.name, ward.name, None, self.place, day),
            giving_side=cell.name,
            receiving_side=f"Các chi bộ địa bàn dân cư của {ward.name}",
            decision=HandOverDecision(
                case.decision_number, case.decided_on, ward.name, f"giải thể {cell.name}"
            )
            if case.decision_number and case.decided_on
            else None,
            held_on=day,
            giving_signer=Signer(None, "BÍ THƯ CHI BỘ"),
            receiving_signer=Signer(None, "THƯỜNG TRỰC ĐẢNG ỦY"),
            people=[
                _handed_over(people.get(t.person_id), t, known) for t in sorted(moves, key=_order)
            ],
        )
        return await asyncio.to_thread(render_hand_over_record, record), moves

    async def _named(self, organisation_id: str | None) -> KnownOrganisation:
        found = await self.organisations.get(organisation_id) if organisation_id else None
        return found or KnownOrganisation(
            id=organisation_id or "",
            code="",
            name="",
            kind="",
            cell_type=None,
            parent_id=None,
            status="",
        )


def _order(move: Transfer) -> tuple[bool, str]:
    """Members first, then candidates, each by name."""
    return (move.person_kind is not PersonKind.MEMBER, move.person_name)


def _handed_over(
    person: PartyMember | AdmissionCandidate | None,
    move: Transfer,
    known: dict[str, KnownOrganisation],
) -> HandedOverPerson:
    destination = known.get(move.to_organisation_id or "")
    receiving = destination.name if destination else move.destination_name
    if isinstance(person, PartyMember):
        standing = "chính thức" if person.standing is Standing.OFFICIAL else "dự bị"
        return HandedOverPerson(
            person.full_name, person.date_of_birth, person.card_number, standing, receiving
        )
    born = person.date_of_birth if person else None
    kind = "đối tượng kết nạp" if move.person_kind is PersonKind.CANDIDATE else ""
    return HandedOverPerson(move.person_name, born, None, kind, receiving)


def _introduced(person: PartyMember | AdmissionCandidate) -> IntroducedMember | IntroducedCandidate:
    if isinstance(person, PartyMember):
        return IntroducedMember(
            full_name=person.full_name,
            date_of_birth=person.date_of_birth,
            card_number=person.card_number,
            official=person.standing is Standing.OFFICIAL,
            admitted_on=person.admitted_on,
            official_on=person.official_on,
        )
    return IntroducedCandidate(
        full_name=person.full_name,
        date_of_birth=person.date_of_birth,
        workplace=person.workplace.name if person.workplace else None,
    )
