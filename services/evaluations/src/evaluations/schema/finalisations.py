"""A cell's or a ward's ratings for a period finalised in one call, each answered on its own."""

from collections.abc import Collection

import strawberry

from evaluations.authorisation import Operation
from evaluations.schema.context import (
    Context,
    mutation,
)
from evaluations.schema.enums import FinalisationOutcome, Rating
from evaluations.schema.evaluations import Evaluation
from evaluations.schema.inputs import OverrideInput
from evaluations.schema.workplace import ItemError
from evaluations.service import rating_decisions
from evaluations.service.commands import FinaliseRatings
from evaluations.service.rating_decisions import FinalisationResult, RatingDecision


@strawberry.input(description="The ward committee's rating of one member")
class RatingDecisionInput:
    member_id: strawberry.ID
    rating: Rating  # type: ignore[valid-type]
    score: int | None = None
    overrides: list[OverrideInput] = strawberry.field(default_factory=list)


@strawberry.input
class FinaliseRatingsInput:
    organisation_id: strawberry.ID = strawberry.field(description="A cell, or a ward: its cells")
    period: str
    ratings: list[RatingDecisionInput] | None = strawberry.field(
        default=None,
        description="The ratings decided; none given: every PROPOSED rating of the "
        "organisation's cells for the period, as the cell proposed it",
    )
    by: str | None = strawberry.field(
        default=None, description="Who decides for the ward committee; else the caller"
    )

    def command(self) -> FinaliseRatings:
        decisions = (
            [
                RatingDecision(
                    str(r.member_id), r.rating, r.score, {o.rule: o.reason for o in r.overrides}
                )
                for r in self.ratings
            ]
            if self.ratings is not None
            else None
        )
        return FinaliseRatings(self.organisation_id, self.period, decisions)


@strawberry.type
class RatingFinalisation:
    evaluation_id: strawberry.ID
    member_id: strawberry.ID
    outcome: FinalisationOutcome  # type: ignore[valid-type]
    evaluation: Evaluation | None
    error: ItemError | None

    @classmethod
    def of(cls, result: FinalisationResult) -> "RatingFinalisation":
        error = result.refusal
        details = getattr(error, "details", {})
        return cls(
            evaluation_id=strawberry.ID(result.evaluation_id),
            member_id=strawberry.ID(result.member_id),
            outcome=result.outcome,
            evaluation=Evaluation.of(result.evaluation) if result.evaluation else None,
            error=ItemError(
                code=error.code, message=str(error), field=str(details.get("field") or "") or None
            )
            if error
            else None,
        )


@strawberry.type
class RatingFinalisations:
    finalised: int
    already_finalised: int
    refused: int
    items: list[RatingFinalisation]


@strawberry.type
class FinalisationMutation:
    @mutation(
        description="The ward committee finalises a cell's or a ward's ratings for a period in "
        "one call, by the rules of finaliseRating (the EXCELLENT quota counted as it goes); "
        "each rating answered on its own."
    )
    async def finalise_ratings(
        self, info: Context, input: FinaliseRatingsInput
    ) -> RatingFinalisations:
        access = info.context.access
        await access.require(Operation.FINALISE_RATING, input.organisation_id)

        async def may_finalise(cells: Collection[str]) -> set[str]:
            covered = await access.covered(Operation.FINALISE_RATING, cells)
            return {cell for cell in covered if cell is not None}

        results = await info.context.use_cases.finalisations.finalise(
            input.command(),
            input.by or info.context.actor,
            info.context.principal.subject,
            may_finalise,
        )
        items = [RatingFinalisation.of(result) for result in results]
        return RatingFinalisations(
            finalised=sum(
                r.outcome is rating_decisions.FinalisationOutcome.FINALISED for r in results
            ),
            already_finalised=sum(
                r.outcome is rating_decisions.FinalisationOutcome.ALREADY_FINALISED for r in results
            ),
            refused=sum(r.outcome is rating_decisions.FinalisationOutcome.REFUSED for r in results),
            items=items,
        )
