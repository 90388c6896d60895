"""Use cases on admission candidates [đối tượng kết nạp] and their mentors."""

import uuid
from datetime import date

from members import events
from members.domain import (
    AdmissionCandidate,
    CandidateStage,
    Conflict,
    Gender,
    KnownOrganisation,
    NotFound,
    PartyMember,
    Residence,
    Standing,
    Workplace,
)
from members.domain.admission import (
    Introducer,
    require_ceremony_on,
    require_certificate,
    require_introducers,
)
from members.service.commands import AddCandidate, AdmitCandidate
from members.service.ports import (
    EVERYWHERE,
    CandidateRepository,
    CaseBook,
    Clock,
    Event,
    MemberRepository,
    OrganisationDirectory,
    Scope,
)

ADMISSIONS = uuid.UUID("0c1d7b2a-5a3e-5b8f-9d41-61646d697373")


def entering_source(
    id: str,
    cell: KnownOrganisation,
    *,
    full_name: str,
    date_of_birth: date,
    gender: Gender,
    on: date,
    residence: Residence | None,
    workplace: Workplace | None,
) -> AdmissionCandidate:
    """A person entering an active cell's admission source (addCandidate, importCandidates)."""
    cell.require_open_to_newcomers()
    return AdmissionCandidate.enter_source(
        id=id,
        full_name=full_name,
        date_of_birth=date_of_birth,
        gender=gender,
        organisation_id=cell.id,
        on=on,
        residence=residence,
        workplace=workplace,
    )


class CandidateService:
    def __init__(
        self,
        candidates: CandidateRepository,
        members: MemberRepository,
        organisations: OrganisationDirectory,
        cases: CaseBook,
        clock: Clock,
    ) -> None:
        self.candidates = candidates
        self.members = members
        self.organisations = organisations
        self.cases = cases
        self.clock = clock

    async def candidate(self, candidate_id: str) -> AdmissionCandidate:
        found = await self.candidates.get(candidate_id)
        if found is None:
            raise NotFound(f"No admission candidate with id {candidate_id}.", id=candidate_id)
        return found

    async def candidates_by_id(
        self, candidate_ids: list[str]
    ) -> list[AdmissionCandidate | NotFound]:
        """The candidates of these ids, in order (a NotFound in place of an unknown id)."""
        found = {c.id: c for c in await self.candidates.get_many(candidate_ids)}
        return [
            found.get(i) or NotFound(f"No admission candidate with id {i}.", id=i)
            for i in candidate_ids
        ]

    async def candidates_of(self, organisation_id: str) -> list[AdmissionCandidate]:
        return await self.candidates.in_organisation(organisation_id)

    async def find_candidates(
        self, organisation_id: str | None, search: str | None, scope: Scope = EVERYWHERE
    ) -> list[AdmissionCandidate]:
        """Candidates of a cell, or by name anywhere in the scope (diacritics ignored),
        whatever their stage."""
        return await self.candidates.find(organisation_id, search, scope)

    async def add_candidate(self, command: AddCandidate) -> AdmissionCandidate:
        """Put a person in the cell's admission source [quần chúng trong nguồn]."""
        cell = await self.organisations.get(command.organisation_id)
        if cell is None:
            raise NotFound(
                f"No organisation with id {command.organisation_id} is known to the members "
                "service.",
                organisationId=command.organisation_id,
            )
        relocated = [c for c in await self.cases.decided_for_cells([cell.id]) if c.relocated]
        cell.require_open_to_newcomers(relocated[0] if relocated else None)
        candidate = entering_source(
            str(uuid.uuid4()),
            cell,
            full_name=command.full_name,
            date_of_birth=command.date_of_birth,
            gender=command.gender,
            on=command.on,
            residence=command.residence,
            workplace=command.workplace,
        )
        await self.candidates.add(candidate, [events.candidate_introduced(candidate)])
        return candidate

    async def advance(
        self, candidate: AdmissionCandidate, to: CandidateStage, on: date, note: str | None = None
    ) -> AdmissionCandidate:
        """Move a candidate to the next stage (awareness class, sponsorship) or withdraw them.

        This use case and the two below take the candidate as the caller read them: CONFLICT
        if they changed since."""
        changed = candidate.advanced(to, on, note)
        await self._save(changed, events.candidate_advanced(changed))
        return changed

    async def assign_mentor(
        self, candidate: AdmissionCandidate, mentor: PartyMember
    ) -> AdmissionCandidate:
        """Assign an OFFICIAL member who works alongside the candidate (of the same grassroots
        party organisation) to follow and help them."""
        cells = await self.organisations.get_many(
            [c for c in (candidate.organisation_id, mentor.organisation_id) if c]
        )
        wards = {cell.id: cell.parent_id for cell in cells}
        changed = candidate.with_mentor(
            mentor, wards.get(mentor.organisation_id or ""), wards.get(candidate.organisation_id)
        )
        await self._save(changed, events.mentor_assigned(changed, mentor))
        return changed

    async def admit(
        self, candidate: AdmissionCandidate, command: AdmitCandidate
    ) -> tuple[AdmissionCandidate, PartyMember]:
        """Admit a sponsored candidate: they become a PROBATIONARY member of their cell from
        the admission decision (`admitted_on`), with the ceremony if already held, their
        introducers and their awareness-class certificate on record."""
        admitted_on, ceremony_on = command.admitted_on, command.ceremony_on
        introducers, certificate = command.introducers, command.certificate
        member_id = str(uuid.uuid5(ADMISSIONS, candidate.id))
        admitted = candidate.admitted(member_id, admitted_on)
        cell = await self.organisations.get(candidate.organisation_id)
        if cell is None:
            raise NotFound(f"The candidate's cell {candidate.organisation_id} is unknown.")
        if ceremony_on is not None:
            require_ceremony_on(admitted_on, ceremony_on, self.clock.today())
        if certificate is not None:
            require_certificate(certificate, admitted_on)
        await self._require_introducers(candidate, list(introducers), admitted_on)
        member = PartyMember.register(
            id=member_id,
            card_number=command.card_number,
            full_name=candidate.full_name,
            date_of_birth=candidate.date_of_birth,
            gender=candidate.gender,
            standing=Standing.PROBATIONARY,
            admitted_on=admitted_on,
            official_on=None,
            cell=cell,
            residence=candidate.residence,
            workplace=candidate.workplace,
            admission_ceremony_on=ceremony_on,
            introducers=tuple(introducers),
            awareness_certificate=certificate,
        )
        existing = await self.members.get(member_id)
        if existing is None:
            await self.members.add(member, [events.member_registered(member)])
        else:
            member = existing  # a retry after the member was written: finish the admission
        await self._save(admitted, events.candidate_admitted(admitted))
        return admitted, member

    async def _require_introducers(
        self, candidate: AdmissionCandidate, introducers: list[Introducer], on: date
    ) -> None:
        """Each introducer exists (NOT_FOUND), is an official member alongside the candidate
        and has worked with them a year or more (BAD_USER_INPUT)."""
        require_introducers(introducers, on)
        wanted = [i.member_id for i in introducers]
        found = {m.id: m for m in await self.members.get_many(wanted)}
        for member_id in wanted:
            if member_id not in found:
                raise NotFound(f"No member with id {member_id}.", field="introducers")
        cells = await self.organisations.get_many(
            sorted({candidate.organisation_id, *(m.organisation_id or "" for m in found.values())})
        )
        wards = {cell.id: cell.parent_id for cell in cells}
        for member in found.values():
            candidate.require_introducer(
                member,
                wards.get(member.organisation_id or ""),
                wards.get(candidate.organisation_id),
                on,
            )

    async def _save(self, candidate: AdmissionCandidate, event: Event | None) -> None:
        if not await self.candidates.save(candidate, [event] if event else []):
            raise Conflict(
                f"{candidate.full_name} was changed by someone else meanwhile: reload and retry.",
                candidateId=candidate.id,
            )
