"""The papers the organisations service issues, set from its records (libs/papers)."""

import asyncio

from papers import DissolutionDecision, Ground, Letterhead, Paper, Signer
from papers import render_dissolution_decision as render

from organisations.domain import DissolutionCase, InvalidTransition
from organisations.domain.directives import Directive, DirectiveKind
from organisations.service.directives import DirectiveService
from organisations.service.dissolution_reads import DissolutionReads
from organisations.service.hierarchy import HierarchyService

KIND_WORDS = {
    DirectiveKind.CONCLUSION: "Kết luận",
    DirectiveKind.PLAN: "Kế hoạch",
    DirectiveKind.GUIDANCE: "Hướng dẫn",
    DirectiveKind.OFFICIAL_LETTER: "Công văn",
    DirectiveKind.DECISION: "Quyết định",
    DirectiveKind.RESOLUTION: "Nghị quyết",
}
CHARTER = Ground("Điều lệ Đảng Cộng sản Việt Nam")


class Papers:
    def __init__(
        self,
        hierarchy: HierarchyService,
        directives: DirectiveService,
        dissolution: DissolutionReads,
        place: str,
    ) -> None:
        self.hierarchy = hierarchy
        self.directives = directives
        self.dissolution = dissolution
        self.place = place

    async def dissolution_decision(self, case: DissolutionCase) -> Paper:
        """The dissolution decision [quyết định giải thể] as the ward committee issued it: its
        number, date and signer, the directives it rests on (the campaign's and those it is
        based on), the plan, and the day the cell is dissolved."""
        decision = case.decision
        if decision is None:
            raise InvalidTransition(
                f"Case {case.id} is {case.stage.value}: no decision has been issued.",
                caseId=case.id,
                stage=case.stage.value,
            )
        cell = await self.hierarchy.organisation(case.cell_id)
        ward = await self.hierarchy.organisation(case.ward_committee_id)
        upper = await self.hierarchy.organisation(ward.parent_id) if ward.parent_id else None
        campaign = await self.dissolution.campaign(case.campaign_id)
        directive = await self.directives.directive_by_id(campaign.directive_id)
        chain = [*reversed(await self.directives.chain(directive)), directive]
        plan = case.plan
        paper = DissolutionDecision(
            letterhead=Letterhead(
                upper_committee=upper.name if upper else "",
                committee=ward.name,
                number=decision.number,
                place=self.place,
                dated=decision.signed_on,
            ),
            cell=cell.name,
            effective_on=decision.effective_on,
            grounds=[CHARTER, *(_ground(d) for d in chain)],
            plan=f"Phương án số {plan.number} ngày {plan.dated_on:%d/%m/%Y}" if plan else None,
            receiving=f"các chi bộ địa bàn dân cư của {ward.name}",
            signer=Signer("T/M ĐẢNG ỦY", "BÍ THƯ", decision.signer),
        )
        return await asyncio.to_thread(render, paper)


def _ground(directive: Directive) -> Ground:
    kind = KIND_WORDS[directive.number.kind]
    return Ground(
        f"{kind} số {directive.number} ngày {directive.issued_on:%d/%m/%Y} của {directive.issuer}"
    )
