"""The papers the members service issues, set from its records (libs/papers)."""

import asyncio

from papers import (
    IntroducedCandidate,
    IntroducedMember,
    IntroductionLetter,
    Letterhead,
    Move,
    Paper,
    Signer,
    render_introduction_letter,
)

from members.domain import AdmissionCandidate, PartyMember, Standing, Transfer
from members.domain.errors import InvalidTransition
from members.domain.organisations import KnownOrganisation
from members.service.ports import OrganisationDirectory

MOVES = {"OFFICIAL": Move.OFFICIAL, "TEMPORARY": Move.TEMPORARY, "INTERNAL": Move.INTERNAL}
ON_BEHALF = {"WARD_COMMITTEE": "T/M ĐẢNG ỦY", "CELL": "T/M CHI ỦY"}


class Papers:
    def __init__(self, organisations: OrganisationDirectory, place: str) -> None:
        self.organisations = organisations
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
