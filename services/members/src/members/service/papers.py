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
from members.domain.restructuring import HandOverSigned
from members.service.ports import (
    CandidateRepository,
    HandOverBook,
    MemberRepository,
    OrganisationDirectory,
    TransferFilter,
    TransferRepository,
)

MOVES = {"OFFICIAL": Move.OFFICIAL, "TEMPORARY": Move.TEMPORARY, "INTERNAL": Move.INTERNAL}
ON_BEHALF = {"WARD_COMMITTEE": "T/M ĐẢNG ỦY", "CELL": "T/M CHI ỦY"}
RESTRUCTURED = {
    "HAND_OVER": "chuyển giao",
    "MERGE_INTO": "sáp nhập",
    "MERGE_NEW": "hợp nhất",
    "SPLIT": "chia tách",
    "END": "kết thúc hoạt động của",
}


class Papers:
    def __init__(
        self,
        organisations: OrganisationDirectory,
        transfers: TransferRepository,
        members: MemberRepository,
        candidates: CandidateRepository,
        place: str,
        hand_overs: HandOverBook,
    ) -> None:
        self.organisations = organisations
        self.transfers = transfers
        self.members = members
        self.candidates = candidates
        self.place = place
        self.hand_overs = hand_overs

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

    async def restructuring_hand_over_record(
        self, case_id: str, organisation_id: str
    ) -> tuple[Paper, list[str]] | None:
        """The hand-over record of an organisation's member-list book in a restructuring
        [biên bản bàn giao sổ danh sách đảng viên, 09-HD/BTCTW], as both sides signed it: the
        decision, the sides, and the members and candidates on the book then; and the ids of
        the people it lists. None until the record is signed."""
        record = await self.hand_overs.get(case_id, organisation_id)
        if record is None:
            return None
        given = await self._named(record.organisation_id)
        city = await self._named(given.ancestor_ids[0] if given.ancestor_ids else given.id)
        receiving = (
            (await self._named(record.receiving_id)).name
            if record.receiving_id
            else ", ".join(record.new_units)
        )
        members = await self.members.get_many(record.member_ids)
        candidates = await self.candidates.get_many(record.candidate_ids)
        d = record.decision
        paper = HandOverRecord(
            letterhead=Letterhead(city.name, receiving, None, self.place, record.signed_on),
            giving_side=given.name,
            receiving_side=receiving,
            decision=HandOverDecision(
                d.number, d.signed_on, city.name, _restructured(record, given, receiving)
            ),
            held_on=record.signed_on,
            giving_signer=Signer(None, record.giver_signer),
            receiving_signer=Signer(None, record.receiver_signer),
            people=[
                *(_on_the_book(m) for m in sorted(members, key=lambda m: m.full_name)),
                *(_on_the_book(c) for c in sorted(candidates, key=lambda c: c.full_name)),
            ],
        )
        rendered = await asyncio.to_thread(render_hand_over_record, paper)
        return rendered, [*(m.id for m in members), *(c.id for c in candidates)]

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
        return _member_line(person, receiving)
    born = person.date_of_birth if person else None
    kind = "đối tượng kết nạp" if move.person_kind is PersonKind.CANDIDATE else ""
    return HandedOverPerson(move.person_name, born, None, kind, receiving)


def _restructured(record: HandOverSigned, given: KnownOrganisation, receiving: str) -> str:
    """What the decision did, in its words: "chuyển giao Chi bộ … về Đảng ủy phường …"."""
    verb = RESTRUCTURED.get(record.kind, "sắp xếp")
    joined = {
        "HAND_OVER": "về",
        "MERGE_INTO": "vào",
        "MERGE_NEW": "thành",
        "SPLIT": "thành",
        "END": "và giao hồ sơ về",
    }
    return f"{verb} {given.name} {joined.get(record.kind, 'với')} {receiving}"


def _on_the_book(person: PartyMember | AdmissionCandidate) -> HandedOverPerson:
    """A person on the book handed over whole: the same receiving side for all."""
    if isinstance(person, PartyMember):
        return _member_line(person, None)
    return HandedOverPerson(person.full_name, person.date_of_birth, None, "đối tượng kết nạp", None)


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


def _member_line(member: PartyMember, receiving: str | None) -> HandedOverPerson:
    """A member's line in a hand-over record's list: official or probationary."""
    standing = "chính thức" if member.standing is Standing.OFFICIAL else "dự bị"
    return HandedOverPerson(
        member.full_name, member.date_of_birth, member.card_number, standing, receiving
    )
