"""The ward's places under the EXCELLENT quota, as finalisations take them: a GOOD counted, an
EXCELLENT taking its place by one conditional update while the GOOD counted allow one more,
a place given back when its write failed, and the ward's finalised ratings as its places hold
them while other replicas write."""

from collections.abc import Sequence

from evaluations.domain import (
    Evaluation,
    EvaluationState,
    FinalisedRatings,
    Period,
    Rating,
)
from evaluations.service.findings import PolicyFindings
from evaluations.service.ports import EvaluationRepository, ExcellentPlaces, QuotaPlaces

COUNTED = (Rating.EXCELLENT, Rating.GOOD)  # the quota's ratings, in QuotaPlaces' order
PLACE_ATTEMPTS = 3


class WardPlaces:
    """The ward's EXCELLENT and GOOD places as `Finalisations` take and give them back."""

    def __init__(
        self,
        evaluations: EvaluationRepository,
        findings: PolicyFindings,
        places: ExcellentPlaces,
    ) -> None:
        self.evaluations = evaluations
        self.findings = findings
        self.places = places

    async def count_good(self, ward_id: str, period: Period, evaluation_ids: list[str]) -> None:
        await self.places.count_good(ward_id, period, evaluation_ids)

    async def give_back(
        self, ward_id: str, period: Period, evaluation_id: str, rating: Rating
    ) -> None:
        await self.places.give_back(ward_id, period, evaluation_id, rating)

    async def take_place(
        self,
        ward_id: str,
        evaluation: Evaluation,
        uncounted_good: dict[str, list[str]] | None = None,
    ) -> bool:
        """The finalised evaluation counted in the ward's places where the quota counts: a
        GOOD always (a batch's kept in `uncounted_good` to be counted at once, before the
        ward's first EXCELLENT), an EXCELLENT while the GOOD counted allow one more (always
        when the quota is overridden). False: no place left."""
        quota = self.findings.excellent_quota(evaluation.period)
        period, i = evaluation.period, evaluation.id
        if quota is None or evaluation.final_rating not in COUNTED:
            return True
        if evaluation.final_rating is Rating.GOOD:
            if uncounted_good is None:
                await self.places.count_good(ward_id, period, [i])
            else:
                uncounted_good[ward_id].append(i)
            return True
        if uncounted_good and (waiting := uncounted_good.pop(ward_id, [])):
            await self.places.count_good(ward_id, period, waiting)
        if any(o.rule == quota.id for o in evaluation.overrides):
            return await self.places.take_excellent(ward_id, period, i, None, 0)
        for _ in range(PLACE_ATTEMPTS):
            places = await self.places.of_ward(ward_id, period)
            if places is None:
                return False
            good = len(places.good)
            allowed = quota.places(good - (i in places.good))
            if await self.places.take_excellent(ward_id, period, i, allowed, good):
                return True
            again = await self.places.of_ward(ward_id, period)
            if again is not None and len(again.good) == good:
                return False  # the places are taken (not the GOOD changed: read again)
        return False

    async def give_back_unless_written(self, ward_id: str, evaluation: Evaluation) -> None:
        """The place counted for a write that failed is given back, unless the write failed
        as another replica finalised the evaluation with the same rating: the place is its."""
        rating = evaluation.final_rating
        if rating not in COUNTED or self.findings.excellent_quota(evaluation.period) is None:
            return
        if rating is not None and not await self.stored_as(evaluation, rating):
            await self.places.give_back(ward_id, evaluation.period, evaluation.id, rating)

    async def stored_as(self, evaluation: Evaluation, rating: Rating) -> bool:
        stored = await self.evaluations.get(evaluation.id)
        return (
            stored is not None
            and stored.state is EvaluationState.FINALISED
            and stored.final_rating is rating
        )

    async def ward(self, ward_id: str, cells: Sequence[str], period: Period) -> FinalisedRatings:
        """The ward's finalised ratings for the period; where the quota counts, its EXCELLENT
        and GOOD ones as its places hold them (some being written by another replica), the
        places begun from what is stored when none are kept yet."""
        stored = await self.evaluations.finalised_ratings(cells, period)
        if self.findings.excellent_quota(period) is None:
            return FinalisedRatings(stored)
        places = await self.places.of_ward(ward_id, period)
        if places is None:
            finalised = QuotaPlaces(
                *([i for i, r in stored.items() if r is rating] for rating in COUNTED)
            )
            await self.places.start(ward_id, period, finalised)
            places = await self.places.of_ward(ward_id, period) or finalised
        others = {i: r for i, r in stored.items() if r not in COUNTED}
        return FinalisedRatings(
            {
                **others,
                **dict.fromkeys(places.good, Rating.GOOD),
                **dict.fromkeys(places.excellent, Rating.EXCELLENT),
            }
        )
