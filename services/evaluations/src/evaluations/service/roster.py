"""Who evaluates whom, and where: the roster and the organisations read model, kept from the
members and organisations services' events."""

import asyncio
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date

from evaluations.domain import (
    Conflict,
    KnownOrganisation,
    NotFound,
    Period,
    Placement,
    RosterEntry,
    grassroots_of,
)
from evaluations.domain.restructuring import CompletedRestructuring
from evaluations.service.ports import EvaluationRepository, Roster
from evaluations.service.roster_ports import (
    Enrolment,
    Hosting,
    Move,
    OrganisationDirectory,
    Profile,
    Replaced,
)


class RosterService:
    def __init__(
        self,
        roster: Roster,
        organisations: OrganisationDirectory,
        evaluations: EvaluationRepository,
    ) -> None:
        self.roster = roster
        self.organisations = organisations
        self.evaluations = evaluations

    # kept from events

    async def enrol(self, entry: RosterEntry, version: int, event_id: str) -> None:
        await self.roster.enrol(entry, version, event_id)

    async def enrol_many(self, enrolments: Sequence[Enrolment]) -> None:
        await self.roster.enrol_many(enrolments)

    async def update_profile(
        self,
        member_id: str,
        full_name: str,
        workplace_role: str | None,
        version: int,
        key_digests: Sequence[str] | None = None,
    ) -> None:
        await self.roster.update_profile(member_id, full_name, workplace_role, version, key_digests)

    async def holders_of(self, digests: Sequence[str]) -> dict[str, list[RosterEntry]]:
        """For each key digest, the members on the roster who hold it (none, one, or —
        should two members' events disagree — more)."""
        holders: dict[str, list[RosterEntry]] = {digest: [] for digest in digests}
        for entry in await self.roster.with_keys(digests):
            for digest in entry.key_digests:
                if digest in holders:
                    holders[digest].append(entry)
        return holders

    async def update_profiles(self, profiles: Sequence[Profile]) -> None:
        await self.roster.update_profiles(profiles)

    async def record_transfer(self, member_id: str, placement: Placement, event_id: str) -> None:
        await self.record_transfers([(member_id, placement, event_id)])

    async def record_transfers(self, moves: Sequence[Move], leaving: Sequence[str] = ()) -> None:
        """Members received by transfer: their new cell evaluates them from the day received,
        and their unfinalised evaluations of the periods since go with them. `leaving`: the
        cells they are known to leave, where their entries are read at once."""
        if not moves:
            return
        for round_ in rounds_of(moves):  # a member moved twice in a batch: in order, a round each
            members = [member_id for member_id, _, _ in round_]
            before = await self.roster.leaving(members, sorted(set(leaving)))
            await self._move(round_, before)
            leaving = ()  # a second move's entry: read by id

    async def _move(self, moves: Sequence[Move], before: Mapping[str, RosterEntry]) -> None:
        """Moves of distinct members whose entries were read `before` them."""
        await self.roster.move_many(moves, before)
        await self.evaluations.follow_transfers(moves, before)

    async def record_stays(self, hostings: Sequence[Hosting]) -> None:
        """Members taken in by a host cell for a TEMPORARY stay [sinh hoạt tạm thời]: they are
        not moved — the home cell keeps evaluating them, their evaluations stay there — and
        the host may give its feedback for the periods of the stay."""
        for member_id, stay, event_id in hostings:
            await self.roster.host(member_id, stay, event_id)

    async def redate_transfer(
        self, member_id: str, transfer_id: str, since: date, event_id: str
    ) -> None:
        """A reception date corrected: the new cell evaluates the member from the corrected
        day, and the unfinalised evaluations of the periods between follow."""
        for _ in range(5):
            was = await self.roster.get(member_id)
            if was is None:
                return
            entry = was.redated(transfer_id, since)
            if entry is None:  # redated already (a redelivery): the evaluations follow, again
                await self.evaluations.follow_roster(was)
                return
            replaced = await self.roster.replace_placements(entry, was, event_id)
            if replaced is not Replaced.CHANGED_MEANWHILE:
                await self.evaluations.follow_roster(entry if replaced is Replaced.WRITTEN else was)
                return
        raise Conflict(f"The roster entry of {member_id} kept changing; the event comes again.")

    async def learn_organisation(self, organisation: KnownOrganisation) -> None:
        await self.learn_organisations([organisation])

    async def learn_organisations(self, organisations: Sequence[KnownOrganisation]) -> None:
        """Keep them in order, with their ancestors when their events name none: those of the
        parent, known already or kept just before it."""
        parent_ids = [o.parent_id for o in organisations if o.parent_id and not o.ancestor_ids]
        known = {o.id: o for o in await self.organisations.many(parent_ids)} if parent_ids else {}
        kept = []
        for organisation in organisations:
            if not organisation.ancestor_ids and organisation.parent_id:
                parent = known.get(organisation.parent_id)
                ancestors = (
                    (*parent.ancestor_ids, parent.id) if parent else (organisation.parent_id,)
                )
                organisation = replace(organisation, ancestor_ids=tuple(ancestors))
            known[organisation.id] = organisation
            kept.append(organisation)
        await self.organisations.remember_many(kept)

    # members

    async def entry(self, member_id: str) -> RosterEntry:
        entry = await self.roster.get(member_id)
        if entry is None:
            raise NotFound(
                f"No member {member_id} on the evaluations roster (yet).", memberId=member_id
            )
        return entry

    async def entries(self, member_ids: Sequence[str]) -> list[RosterEntry | None]:
        """Each member's roster entry (None: not on the roster), in one query."""
        found = {entry.member_id: entry for entry in await self.roster.many(member_ids)}
        return [found.get(member_id) for member_id in member_ids]

    async def in_cells(self, cell_ids: Sequence[str]) -> list[RosterEntry]:
        """Everyone ever placed in one of these cells."""
        return await self.roster.in_cells(cell_ids)

    async def cell_for(self, member_id: str, period: Period) -> tuple[RosterEntry, str]:
        """The member's entry and the cell that evaluates them for the period."""
        entry = await self.entry(member_id)
        cell_id = entry.cell_for(period)
        if cell_id is None:
            raise NotFound(
                f"{entry.full_name} is evaluated by no cell for {period}.",
                memberId=member_id,
                period=str(period),
            )
        return entry, cell_id

    async def evaluated_by(self, member_id: str, period_text: str) -> str | None:
        """The cell that evaluates the member for the period, if any."""
        entry = await self.roster.get(member_id)
        return entry.cell_for(Period.parse(period_text)) if entry else None

    # organisations

    async def organisation(self, organisation_id: str) -> KnownOrganisation | None:
        return await self.organisations.get(organisation_id)

    async def organisations_by_id(self, ids: Sequence[str]) -> list[KnownOrganisation | None]:
        known = {o.id: o for o in await self.organisations.many(ids)}
        return [known.get(i) for i in ids]

    async def cells_within(self, organisation_id: str, on: date | None = None) -> list[str]:
        """The cells of an organisation's subtree (on that day, when given: as the tree stood
        then); an organisation unknown here stands for itself."""
        return await self.organisations.cells_within(organisation_id, on) or [organisation_id]

    async def within(self, root_ids: Sequence[str]) -> list[str]:
        """Every organisation in these subtrees, roots included."""
        return await self.organisations.within(root_ids)

    async def grassroots_cells(self, cell_id: str, on: date | None = None) -> list[str]:
        """The cells of the grassroots party organisation (the ward) a cell belongs to (on
        that day, when given)."""
        [cells] = await self.grassroots_cells_of([cell_id], on)
        return cells

    async def grassroots_cells_of(
        self, cell_ids: Sequence[str], on: date | None = None
    ) -> list[list[str]]:
        """`grassroots_cells` of each cell, each ward's cells looked up once."""
        return [cells for _, cells in await self.grassroots_of(cell_ids, on)]

    async def grassroots_of(
        self, cell_ids: Sequence[str], on: date | None = None
    ) -> list[tuple[str, list[str]]]:
        """The grassroots party organisation of each cell and its cells, each ward's cells
        looked up once; a cell unknown here stands for itself. With a day (a period's end):
        the ward and its cells as the tree stood then — a period that ended before a
        restructuring took effect stays with the old ward."""
        ward_of = await self._grassroots_of_known(cell_ids, on)
        wards = sorted(set(ward_of.values()))
        cells_of = dict(
            zip(
                wards,
                await asyncio.gather(*(self.organisations.cells_within(w, on) for w in wards)),
                strict=True,
            )
        )
        return [
            (ward_of[i], sorted({i, *cells_of[ward_of[i]]})) if i in ward_of else (i, [i])
            for i in cell_ids
        ]

    async def ward_committees_of(self, cell_ids: Collection[str]) -> dict[str, str | None]:
        """The ward committee each cell belongs to, as the tree stands (None: it belongs to
        none, or is unknown)."""
        ward_of = await self._grassroots_of_known(sorted(cell_ids))
        return {i: ward_of[i] if ward_of.get(i, i) != i else None for i in cell_ids}

    async def _grassroots_of_known(
        self, cell_ids: Sequence[str], on: date | None = None
    ) -> dict[str, str]:
        """The grassroots party organisation of each cell known here (on that day), by cell."""
        known = {cell.id: cell for cell in await self.organisations.many(cell_ids)}
        ancestry = {i: cell.ancestry_on(on) for i, cell in known.items()}
        ancestor_ids = sorted({a for path in ancestry.values() for a in path})
        ancestors = {a.id: a for a in await self.organisations.many(ancestor_ids)}
        return {
            i: grassroots_of(cell, [ancestors[a] for a in ancestry[i] if a in ancestors], on)
            for i, cell in known.items()
        }

    # restructurings

    async def follow_restructuring(self, done: CompletedRestructuring, event_id: str) -> None:
        """A restructuring completed: the organisations that moved keep, here, where they
        stood before (so that earlier periods stay with the old units), and the members of a
        merged cell are evaluated by its successor from the effective date, their unfinalised
        evaluations of the periods since going with them."""
        moved = [change.organisation_id for change in done.parent_changes]
        parents = [c.from_parent_id for c in done.parent_changes if c.from_parent_id]
        known = {o.id: o for o in await self.organisations.many(parents)}
        below = await self.organisations.below(moved)
        await self.organisations.remember_former(done.former_ancestries(known, below))
        merged = await self.roster.in_cells(sorted(done.cell_merges))  # all at once, by cell
        moves = [
            (entry.member_id, placement, event_id)
            for entry in merged
            if (placement := done.placement_after(entry)) is not None
        ]
        if moves:
            await self._move(moves, {entry.member_id: entry for entry in merged})


def rounds_of(moves: Sequence[Move]) -> list[list[Move]]:
    """The moves in rounds of distinct members: a member's first move in the first round, their
    second in the second, and so on (most batches are one round)."""
    rounds: list[list[Move]] = []
    seen: dict[str, int] = {}
    for move in moves:
        turn = seen[move[0]] = seen.get(move[0], -1) + 1
        if turn == len(rounds):
            rounds.append([])
        rounds[turn].append(move)
    return rounds
