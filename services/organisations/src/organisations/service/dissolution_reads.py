"""What campaigns and dissolution cases say, and to whom: the reads every use case of
dissolution starts from."""

from collections.abc import Sequence
from datetime import date

from kit.clock import Clock
from kit.errors import Forbidden
from kit.identity import Principal

from organisations.authorisation import RULES, Operation
from organisations.domain import Campaign, CampaignProgress, DissolutionCase, NotFound, Stage
from organisations.service.directives import DirectiveService
from organisations.service.hierarchy import HierarchyService
from organisations.service.ports import CampaignRepository, CaseRepository


class DissolutionReads:
    """Campaigns and cases as the caller may read them; `DissolutionService` takes its steps
    from here."""

    def __init__(
        self,
        campaigns: CampaignRepository,
        cases: CaseRepository,
        hierarchy: HierarchyService,
        directives: DirectiveService,
        clock: Clock,
    ) -> None:
        self.campaigns = campaigns
        self.cases = cases
        self.hierarchy = hierarchy
        self.directives = directives
        self.clock = clock

    async def campaign(self, campaign_id: str) -> Campaign:
        """The campaign with this id, or NOT_FOUND."""
        found = await self.campaigns.get(campaign_id)
        if found is None:
            raise NotFound(f"No campaign with id {campaign_id}.", id=campaign_id)
        return found

    async def all_campaigns(
        self, district_committee_id: str | None = None, directive_number: str | None = None
    ) -> list[Campaign]:
        """Campaigns, newest first, optionally of one district or one directive."""
        directive_id = None
        if directive_number is not None:
            directive_id = (await self.directives.directive(directive_number)).id
        found = await self.campaigns.find(district_committee_id, directive_id)
        return sorted(found, key=lambda c: c.launched_at, reverse=True)

    async def progress(self, campaign: Campaign) -> CampaignProgress:
        """How many of the campaign's cases stand at each stage, and how many are overdue."""
        stages = await self.cases.stage_counts(campaign.id)
        return CampaignProgress.counted(campaign, stages, self.today())

    # cases

    def today(self) -> date:
        return self.clock.today()

    async def case(self, by: Principal, case_id: str) -> DissolutionCase:
        """The dissolution case with this id, for a reader covering its cell."""
        return await self._case_for(by, Operation.READ_CASES, case_id)

    async def cases_by_id(
        self, by: Principal, case_ids: Sequence[str]
    ) -> list[DissolutionCase | Exception]:
        """Each case asked for, or why it is not given (FORBIDDEN, NOT_FOUND), in one lookup."""
        found = {c.id: c for c in await self.cases.get_many(case_ids)}
        ancestries = await self.hierarchy.ancestries([c.cell_id for c in found.values()])
        answers: list[DissolutionCase | Exception] = []
        for case_id in case_ids:
            case = found.get(case_id)
            ancestry = ancestries.get(case.cell_id, frozenset()) if case else frozenset()
            if not RULES.allows(by, Operation.READ_CASES, ancestry):
                answers.append(Forbidden())
            elif case is None:
                answers.append(no_case(case_id))
            else:
                answers.append(case)
        return answers

    async def find_cases(
        self,
        by: Principal,
        *,
        campaign_id: str | None = None,
        stage: Stage | None = None,
        overdue: bool | None = None,
        ward_committee_id: str | None = None,
    ) -> list[DissolutionCase]:
        """The cases `by` may read, filtered by campaign, stage, ward and whether their plan is
        overdue; a ward outside their scope is FORBIDDEN."""
        if ward_committee_id is not None:
            await self.hierarchy.authorised(by, Operation.READ_CASES, ward_committee_id)
        if RULES.subtrees(by, Operation.READ_CASES) == frozenset():
            return []
        found = await self.cases.find(
            campaign_id=campaign_id, stage=stage, ward_committee_id=ward_committee_id
        )
        return await self._readable(by, found, overdue)

    async def cases_of_campaigns(
        self,
        by: Principal,
        campaign_ids: Sequence[str],
        *,
        stage: Stage | None = None,
        overdue: bool | None = None,
    ) -> list[list[DissolutionCase]]:
        """For each campaign, in order, its cases `by` may read (see find_cases): the cases of
        all of them found in one query."""
        by_campaign: dict[str, list[DissolutionCase]] = {i: [] for i in campaign_ids}
        if RULES.subtrees(by, Operation.READ_CASES) != frozenset():
            found = await self.cases.find(campaign_ids=list(by_campaign), stage=stage)
            for case in await self._readable(by, found, overdue):
                by_campaign[case.campaign_id].append(case)
        return [by_campaign[i] for i in campaign_ids]

    async def _readable(
        self, by: Principal, cases: list[DissolutionCase], overdue: bool | None
    ) -> list[DissolutionCase]:
        """Those of `cases` whose cell `by` covers, overdue or not as asked."""
        today = self.today()
        cases = [c for c in cases if overdue is None or c.is_overdue(today) == overdue]
        if RULES.subtrees(by, Operation.READ_CASES) is None:
            return cases
        ancestries = await self.hierarchy.ancestries({c.cell_id for c in cases})
        return [
            c
            for c in cases
            if RULES.allows(by, Operation.READ_CASES, ancestries.get(c.cell_id, frozenset()))
        ]

    async def _case_for(self, by: Principal, operation: Operation, case_id: str) -> DissolutionCase:
        """The case, once `by` may take `operation` on its cell; an unknown id is FORBIDDEN
        but to a whole-tree grant, which hears NOT_FOUND."""
        case = await self.cases.get(case_id)
        RULES.require(by, operation, await self.hierarchy.ancestry(case.cell_id) if case else ())
        if case is None:
            raise no_case(case_id)
        return case


def no_case(case_id: str) -> NotFound:
    return NotFound(f"No dissolution case with id {case_id}.", id=case_id)
