"""Use cases of restructuring cases [hợp nhất, sáp nhập, chia tách, chuyển giao tổ chức] and
their campaigns (who may take each step, and where, is the schema's `Access` to check)."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from kit.clock import Clock
from kit.identity import Principal

from organisations import restructuring_events
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
from organisations.domain.restructuring import RestructuringStep, new_unit_id, require_step
from organisations.domain.restructuring_plans import check_plan, outcome_of
from organisations.service.commands import LaunchRestructuringCampaign, OpenRestructuring
from organisations.service.ports import RestructuringCampaignRepository, RestructuringRepository
from organisations.service.restructuring_tree import RestructuringTree


@dataclass(frozen=True)
class RestructuringProgress:
    total: int
    by_stage: dict[RestructuringStage, int]


class RestructuringService:
    def __init__(
        self,
        cases: RestructuringRepository,
        campaigns: RestructuringCampaignRepository,
        tree: RestructuringTree,
        clock: Clock,
    ) -> None:
        self.cases = cases
        self.campaigns = campaigns
        self.tree = tree
        self.clock = clock

    # campaigns

    async def launch_campaign(
        self, command: LaunchRestructuringCampaign, by: Principal
    ) -> RestructuringCampaign:
        """Launch a plan of many restructuring cases [đề án sắp xếp] over a committee's tree."""
        organisation = await self.tree.organisation(command.organisation_id)
        if not command.title.strip():
            raise DomainError("A campaign needs a title.", field="title")
        campaign = RestructuringCampaign(
            id=str(uuid.uuid4()),
            title=command.title.strip(),
            organisation_id=organisation.id,
            launched_at=self.clock.now(),
            launched_by=by.display_name,
            directive_number=(command.directive_number or "").strip() or None,
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

    async def case(self, case_id: str) -> RestructuringCase:
        """The case with this id, or NOT_FOUND."""
        case = await self.cases.get(case_id)
        if case is None:
            raise NotFound(f"No restructuring case with id {case_id}.", id=case_id)
        return case

    async def find_cases(
        self,
        campaign_id: str | None = None,
        stage: RestructuringStage | None = None,
        kind: RestructuringKind | None = None,
    ) -> list[RestructuringCase]:
        """The cases of a campaign, a stage, a kind."""
        return await self.cases.find(campaign_id, stage, kind)

    # steps

    async def open(self, command: OpenRestructuring, by: Principal) -> RestructuringCase:
        """Open a case: which organisations merge, split or are handed over, and where to;
        checked against the tree (nothing is stored when it cannot happen)."""
        case_id = str(uuid.uuid4())
        case = RestructuringCase(
            id=case_id,
            kind=command.kind,
            source_ids=list(command.source_ids),
            opened_at=self.clock.now(),
            opened_by=by.display_name,
            campaign_id=command.campaign_id,
            receiving_id=command.receiving_id,
            new_units=[
                NewUnit(
                    new_unit_id(case_id, index),
                    unit.code.strip(),
                    unit.name.strip(),
                    unit.parent_id,
                    list(unit.child_ids),
                )
                for index, unit in enumerate(command.new_units)
            ],
            new_codes=dict(command.new_codes),
        )
        _check_shape(case)
        tree = await self.tree.read(case)
        if case.campaign_id is not None:
            await self.campaign(case.campaign_id)
        check_plan(case, tree)
        if case.kind is RestructuringKind.HAND_OVER:
            receiving = tree[case.receiving_id or ""]
            case.new_codes = {
                source: case.new_codes.get(source) or _code_under(receiving, tree[source])
                for source in case.source_ids
            }
        await self.tree.check_codes_free(case)
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
        self, case: RestructuringCase, decision: Decision, by: Principal, note: str | None
    ) -> RestructuringCase:
        """Record the upper committee's decision: number, signer, effective date."""
        return await self._take(case, by, note, lambda c, act: c.issue_decision(decision, act))

    async def record_handover(
        self, case: RestructuringCase, record: HandoverRecord, by: Principal, note: str | None
    ) -> RestructuringCase:
        """Record the hand-over record of one organisation's member-list book, signed by the
        giving and the receiving side."""
        return await self._take(case, by, note, lambda c, act: c.record_handover(record, act))

    async def accept(
        self, case: RestructuringCase, acceptance: Acceptance, by: Principal, note: str | None
    ) -> RestructuringCase:
        """The receiving side decides to receive: the case is COMPLETED and the tree changes
        from the decision's effective date (checked again against the tree as it is now)."""
        require_step(case.stage, RestructuringStep.ACCEPT)  # a completed case: not read again
        tree = await self.tree.read(case)
        check_plan(case, tree)
        await self.tree.check_codes_free(case)
        outcome = outcome_of(case, tree)
        await self._take(case, by, note, lambda c, act: c.accept(acceptance, outcome, act))
        await self._apply(case)
        return case

    async def complete_pending_work(self) -> None:
        """Apply to the tree the outcome of cases completed but interrupted before it was."""
        for case in await self.cases.awaiting_tree():
            await self._apply(case)

    async def _apply(self, case: RestructuringCase) -> None:
        await self.tree.apply(case)
        await self.cases.mark_tree_applied(case.id)
        case.tree_applied = True

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
    needs_receiving = case.kind in (
        RestructuringKind.HAND_OVER,
        RestructuringKind.MERGE_INTO,
        RestructuringKind.END,  # the committee above that takes its records
    )
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
