"""Use cases of restructuring cases [hợp nhất, sáp nhập, chia tách, chuyển giao tổ chức] and
their campaigns."""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kit.errors import Forbidden
from kit.identity import Principal

from organisations import restructuring_events
from organisations.authorisation import RULES, Operation
from organisations.domain import (
    Acceptance,
    Action,
    Conflict,
    Decision,
    DomainError,
    HandoverRecord,
    NewUnit,
    NotFound,
    Organisation,
    RestructuringAuditEntry,
    RestructuringCampaign,
    RestructuringCase,
    RestructuringKind,
    RestructuringStage,
)
from organisations.domain.restructuring import new_unit_id
from organisations.domain.restructuring_plans import Tree, check_plan, outcome_of
from organisations.service.restructuring_tree import RestructuringTree


@dataclass(frozen=True)
class NewUnitRequest:
    code: str
    name: str
    parent_id: str
    child_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class RestructuringRequest:
    kind: RestructuringKind
    source_ids: Sequence[str]
    receiving_id: str | None = None
    new_units: Sequence[NewUnitRequest] = ()
    new_codes: dict[str, str] | None = None
    campaign_id: str | None = None


@dataclass(frozen=True)
class RestructuringProgress:
    total: int
    by_stage: dict[RestructuringStage, int]


class RestructuringService(RestructuringTree):
    # campaigns

    async def launch_campaign(
        self, by: Principal, title: str, organisation_id: str, directive_number: str | None
    ) -> RestructuringCampaign:
        """Launch a plan of many restructuring cases [đề án sắp xếp] over a committee's tree."""
        organisation = await self.organisations.get(organisation_id)
        RULES.require(by, Operation.RESTRUCTURE, organisation.ancestry if organisation else ())
        if organisation is None:
            raise NotFound(f"No organisation with id {organisation_id}.", id=organisation_id)
        if not title.strip():
            raise DomainError("A campaign needs a title.", field="title")
        campaign = RestructuringCampaign(
            id=str(uuid.uuid4()),
            title=title.strip(),
            organisation_id=organisation.id,
            launched_at=self.clock.now(),
            launched_by=by.display_name,
            directive_number=(directive_number or "").strip() or None,
        )
        await self.campaigns.add(
            campaign, [restructuring_events.restructuring_campaign_launched(campaign)]
        )
        return campaign

    async def campaign(self, campaign_id: str) -> RestructuringCampaign:
        """The restructuring campaign with this id, or NOT_FOUND."""
        found = await self.campaigns.get(campaign_id)
        if found is None:
            raise NotFound(f"No restructuring campaign with id {campaign_id}.", id=campaign_id)
        return found

    async def all_campaigns(self) -> list[RestructuringCampaign]:
        """Restructuring campaigns, newest first."""
        return sorted(await self.campaigns.all(), key=lambda c: c.launched_at, reverse=True)

    async def progress(self, campaign_id: str) -> RestructuringProgress:
        """How many of the campaign's cases stand at each stage (kept, not counted)."""
        counts = await self.cases.stage_counts(campaign_id)
        by_stage = {stage: counts.get(stage, 0) for stage in RestructuringStage}
        return RestructuringProgress(sum(by_stage.values()), by_stage)

    # reads

    async def case(self, by: Principal, case_id: str) -> RestructuringCase:
        """The case, for a reader covering any organisation it gives or receives."""
        case = await self.cases.get(case_id)
        if case is None:
            RULES.require(by, Operation.READ_RESTRUCTURING)
            raise _no_case(case_id)
        await self._require_any(by, Operation.READ_RESTRUCTURING, case)
        return case

    async def find_cases(
        self,
        by: Principal,
        campaign_id: str | None = None,
        stage: RestructuringStage | None = None,
        kind: RestructuringKind | None = None,
    ) -> list[RestructuringCase]:
        """The cases `by` may read, filtered by campaign, stage and kind."""
        if RULES.subtrees(by, Operation.READ_RESTRUCTURING) == frozenset():
            return []
        found = await self.cases.find(campaign_id, stage, kind)
        if RULES.everywhere(by, Operation.READ_RESTRUCTURING):
            return found
        ids = {i for case in found for i in (*case.source_ids, *case.receiving_ids)}
        ancestry = {o.id: o.ancestry for o in await self.organisations.get_many(list(ids))}
        return [
            case
            for case in found
            if RULES.allows_any(
                by,
                Operation.READ_RESTRUCTURING,
                [ancestry.get(i, frozenset()) for i in (*case.source_ids, *case.receiving_ids)],
            )
        ]

    # steps

    async def open(self, by: Principal, request: RestructuringRequest) -> RestructuringCase:
        """Open a case: which organisations merge, split or are handed over, and where to;
        checked against the tree (nothing is stored when it cannot happen)."""
        case_id = str(uuid.uuid4())
        case = RestructuringCase(
            id=case_id,
            kind=request.kind,
            source_ids=list(request.source_ids),
            opened_at=self.clock.now(),
            opened_by=by.display_name,
            campaign_id=request.campaign_id,
            receiving_id=request.receiving_id,
            new_units=[
                NewUnit(
                    new_unit_id(case_id, index),
                    unit.code.strip(),
                    unit.name.strip(),
                    unit.parent_id,
                    list(unit.child_ids),
                )
                for index, unit in enumerate(request.new_units)
            ],
            new_codes=dict(request.new_codes or {}),
        )
        _check_shape(case)
        tree = await self._tree(case)
        await self._require_all(by, Operation.RESTRUCTURE, case, tree)
        if case.campaign_id is not None:
            await self.campaign(case.campaign_id)
        check_plan(case, tree)
        if case.kind is RestructuringKind.HAND_OVER:
            receiving = tree[case.receiving_id or ""]
            case.new_codes = {
                source: case.new_codes.get(source) or _code_under(receiving, tree[source])
                for source in case.source_ids
            }
        await self._check_codes_free(case)
        busy = await self.cases.open_concerning(case.source_ids, case.receiving_ids)
        if busy:
            raise Conflict(
                "These organisations are already in an open restructuring case: "
                + ", ".join(sorted(c.id for c in busy)),
                field="sourceIds",
            )
        await self.cases.add(case, [restructuring_events.restructuring_opened(case)])
        return case

    async def issue_decision(
        self, by: Principal, case_id: str, decision: Decision, note: str | None
    ) -> RestructuringCase:
        """Record the upper committee's decision: number, signer, effective date."""
        case = await self._get(case_id, by, Operation.RESTRUCTURE)
        await self._require_all(by, Operation.RESTRUCTURE, case, await self._tree(case))
        return await self._take(case, by, note, lambda c, act: c.issue_decision(decision, act))

    async def record_handover(
        self, by: Principal, case_id: str, record: HandoverRecord, note: str | None
    ) -> RestructuringCase:
        """Record the hand-over record of one organisation's member-list book, signed by the
        giving and the receiving side."""
        case = await self._get(case_id, by, Operation.RECORD_HANDOVER)
        given = await self.organisations.get(record.organisation_id)
        RULES.require(by, Operation.RECORD_HANDOVER, given.ancestry if given else ())
        return await self._take(case, by, note, lambda c, act: c.record_handover(record, act))

    async def accept(
        self, by: Principal, case_id: str, acceptance: Acceptance, note: str | None
    ) -> RestructuringCase:
        """The receiving side decides to receive: the case is COMPLETED and the tree changes
        from the decision's effective date (checked again against the tree as it is now)."""
        case = await self._get(case_id, by, Operation.ACCEPT_RESTRUCTURING)
        tree = await self._tree(case)
        for receiving in case.receiving_ids:
            RULES.require(by, Operation.ACCEPT_RESTRUCTURING, tree[receiving].ancestry)
        check_plan(case, tree)
        await self._check_codes_free(case)
        outcome = outcome_of(case, tree)
        await self._take(case, by, note, lambda c, act: c.accept(acceptance, outcome, act))
        await self._apply(case)
        return case

    async def complete_pending_work(self) -> None:
        """Apply to the tree the outcome of cases completed but interrupted before it was."""
        for case in await self.cases.awaiting_tree():
            await self._apply(case)

    async def _require_all(
        self, by: Principal, operation: Operation, case: RestructuringCase, tree: Tree
    ) -> None:
        for organisation_id in (*case.source_ids, *case.receiving_ids):
            RULES.require(by, operation, tree[organisation_id].ancestry)

    async def _require_any(
        self, by: Principal, operation: Operation, case: RestructuringCase
    ) -> None:
        ids = [*case.source_ids, *case.receiving_ids]
        found = await self.organisations.get_many(ids)
        if not RULES.allows_any(by, operation, [o.ancestry for o in found]):
            raise Forbidden

    async def _get(self, case_id: str, by: Principal, operation: Operation) -> RestructuringCase:
        """The case, once `by` could take `operation` on it somewhere (the step checks where);
        an unknown id is FORBIDDEN but to a whole-tree grant, which hears NOT_FOUND."""
        case = await self.cases.get(case_id)
        if case is None:
            RULES.require(by, operation)
            raise _no_case(case_id)
        await self._require_any(by, operation, case)
        return case

    async def _take(
        self,
        case: RestructuringCase,
        by: Principal,
        note: str | None,
        take: Callable[[RestructuringCase, Action], RestructuringAuditEntry],
    ) -> RestructuringCase:
        read_version = case.version
        entry = take(case, Action(by.display_name, self.clock.now(), note, by.subject))
        await self.cases.save(
            case, read_version, [restructuring_events.restructuring_step_taken(case, entry)]
        )
        return case


def _check_shape(case: RestructuringCase) -> None:
    """The fields each kind needs, before anything is read."""
    needs_receiving = case.kind in (RestructuringKind.HAND_OVER, RestructuringKind.MERGE_INTO)
    if needs_receiving != (case.receiving_id is not None):
        raise DomainError(
            f"A {case.kind.value} case "
            + ("names" if needs_receiving else "does not name")
            + " a receiving organisation.",
            field="receivingId",
        )
    if needs_receiving and case.new_units:
        raise DomainError(f"A {case.kind.value} case forms no new organisation.", field="newUnits")
    if case.kind is not RestructuringKind.HAND_OVER and case.new_codes:
        raise DomainError(
            "Only a hand-over gives new codes to its organisations.", field="newCodes"
        )
    for unit in case.new_units:
        if not unit.code or not unit.name:
            raise DomainError("A new organisation needs a code and a name.", field="newUnits")


def _code_under(receiving: Organisation, organisation: Organisation) -> str:
    """The code an organisation takes under its new committee: the committee's code and the
    last part of its own (HN-BD-KM-TDP01 handed to HN-GV becomes HN-GV-TDP01)."""
    return f"{receiving.code}-{organisation.code.rsplit('-', 1)[-1]}"


def _no_case(case_id: str) -> NotFound:
    return NotFound(f"No restructuring case with id {case_id}.", id=case_id)
