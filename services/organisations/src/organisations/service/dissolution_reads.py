"""What campaigns and dissolution cases say: the reads the schema answers from and checks the
steps against (who may read them is the schema's `Access`)."""

from collections.abc import Sequence
from datetime import date

from kit.clock import Clock

from organisations.domain import Campaign, CampaignProgress, DissolutionCase, NotFound, Stage
from organisations.service.directives import DirectiveService
from organisations.service.ports import CampaignRepository, CaseRepository


class DissolutionReads:
    """Campaigns and cases as they stand; `DissolutionService` takes the steps."""

    def __init__(
        self,
        campaigns: CampaignRepository,
        cases: CaseRepository,
        directives: DirectiveService,
        clock: Clock,
    ) -> None:
        self.campaigns = campaigns
        self.cases = cases
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

    async def case(self, case_id: str) -> DissolutionCase:
        """The dissolution case with this id, or NOT_FOUND."""
        case = await self.cases.get(case_id)
        if case is None:
            raise no_case(case_id)
        return case

    async def cases_by_id(self, case_ids: Sequence[str]) -> list[DissolutionCase | None]:
        """Each case asked for (None: no case of that id), in one lookup."""
        found = {c.id: c for c in await self.cases.get_many(case_ids)}
        return [found.get(case_id) for case_id in case_ids]

    async def find_cases(
        self,
        *,
        campaign_id: str | None = None,
        stage: Stage | None = None,
        overdue: bool | None = None,
        ward_committee_id: str | None = None,
    ) -> list[DissolutionCase]:
        """The cases of a campaign, a stage or a ward, overdue or not as asked."""
        found = await self.cases.find(
            campaign_id=campaign_id, stage=stage, ward_committee_id=ward_committee_id
        )
        return self._overdue_as_asked(found, overdue)

    async def cases_of_campaigns(
        self,
        campaign_ids: Sequence[str],
        *,
        stage: Stage | None = None,
        overdue: bool | None = None,
    ) -> list[list[DissolutionCase]]:
        """For each campaign, in order, its cases (see find_cases): the cases of all of them
        found in one query."""
        by_campaign: dict[str, list[DissolutionCase]] = {i: [] for i in campaign_ids}
        found = await self.cases.find(campaign_ids=list(by_campaign), stage=stage)
        for case in self._overdue_as_asked(found, overdue):
            by_campaign[case.campaign_id].append(case)
        return [by_campaign[i] for i in campaign_ids]

    def _overdue_as_asked(
        self, cases: list[DissolutionCase], overdue: bool | None
    ) -> list[DissolutionCase]:
        today = self.today()
        return [c for c in cases if overdue is None or c.is_overdue(today) == overdue]


def no_case(case_id: str) -> NotFound:
    return NotFound(f"No dissolution case with id {case_id}.", id=case_id)
