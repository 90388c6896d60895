"""A member's quality ranking for a period: DRAFT → PROPOSED → FINALISED. Standard library only."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from evaluations.domain.errors import DomainError, InvalidTransition, PolicyViolation, required_text
from evaluations.domain.periods import Period
from evaluations.domain.ratings import Rating, check_score
from evaluations.domain.rules import Finding


class EvaluationState(Enum):
    DRAFT = "DRAFT"
    PROPOSED = "PROPOSED"
    FINALISED = "FINALISED"


def evaluation_id(member_id: str, period: Period) -> str:
    return f"{member_id}:{period}"


@dataclass(frozen=True)
class Override:
    """A blocking finding the ward committee decided past, with its reason."""

    rule: str
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Reopening:
    """A finalised rating the ward committee reopened: the rating and score it had, why, who,
    when. The evaluation is PROPOSED again, for the cell to propose and the committee to
    finalise anew."""

    rating: Rating
    score: int | None
    reason: str
    by: str
    at: datetime
    subject: str | None = None


@dataclass(frozen=True)
class Step:
    """One entry of the audit trail."""

    state: EvaluationState
    at: datetime
    by: str
    note: str | None = None
    subject: str | None = None  # the caller, as the gateway vouched (the token's subject)


@dataclass
class Evaluation:
    id: str
    member_id: str
    cell_id: str
    period: Period
    state: EvaluationState = EvaluationState.DRAFT
    self_rating: Rating | None = None
    self_comment: str | None = None
    proposed_rating: Rating | None = None
    proposed_score: int | None = None
    proposal_note: str | None = None
    final_rating: Rating | None = None
    final_score: int | None = None
    finalised_at: datetime | None = None
    overrides: list[Override] = field(default_factory=list)
    history: list[Step] = field(default_factory=list)
    reopenings: list[Reopening] = field(default_factory=list)
    version: int = 0

    @classmethod
    def start(cls, member_id: str, cell_id: str, period: Period) -> "Evaluation":
        return cls(evaluation_id(member_id, period), member_id, cell_id, period)

    @property
    def rating(self) -> Rating | None:
        """The rating as far as it has gone: final, else proposed, else the member's own."""
        return self.final_rating or self.proposed_rating or self.self_rating

    @property
    def score(self) -> int | None:
        return self.final_score if self.final_score is not None else self.proposed_score

    def self_assess(
        self, rating: Rating, comment: str | None, at: datetime, subject: str | None = None
    ) -> None:
        if self.state is not EvaluationState.DRAFT:
            raise InvalidTransition(
                f"The self-assessment for {self.period} is closed: the evaluation is "
                f"{self.state.value}.",
                state=self.state.value,
            )
        self.self_rating = rating
        self.self_comment = comment.strip() if comment and comment.strip() else None
        self.history.append(
            Step(EvaluationState.DRAFT, at, self.member_id, "self-assessed", subject)
        )

    def propose(
        self,
        rating: Rating,
        score: int | None,
        note: str | None,
        by: str,
        at: datetime,
        subject: str | None = None,
    ) -> None:
        if self.state is EvaluationState.FINALISED:
            raise InvalidTransition(
                f"The evaluation for {self.period} is finalised; it takes no new proposal.",
                state=self.state.value,
            )
        check_score(score)
        self.proposed_rating, self.proposed_score = rating, score
        self.proposal_note = note.strip() if note and note.strip() else None
        self.state = EvaluationState.PROPOSED
        self.history.append(Step(EvaluationState.PROPOSED, at, by, self.proposal_note, subject))

    def finalise(
        self,
        rating: Rating,
        score: int | None,
        findings: list[Finding],
        overrides: dict[str, str],
        by: str,
        at: datetime,
        subject: str | None = None,
    ) -> None:
        """Refused while a blocking finding stands that no override with a reason answers."""
        if self.state is not EvaluationState.PROPOSED:
            raise InvalidTransition(
                f"Only a PROPOSED evaluation can be finalised; this one is {self.state.value}.",
                state=self.state.value,
            )
        check_score(score)
        blocking = {finding.rule: finding for finding in findings if finding.blocking}
        unknown = sorted(set(overrides) - set(blocking))
        if unknown:
            raise DomainError(
                f"No blocking finding to override for {', '.join(unknown)}.", rules=unknown
            )
        reasons = {rule: required_text(reason, "reason") for rule, reason in overrides.items()}
        standing = [finding for rule, finding in blocking.items() if rule not in reasons]
        if standing:
            raise PolicyViolation(
                "Finalising refused: " + " ".join(f"[{f.source}] {f.message}" for f in standing),
                findings=[
                    {
                        "rule": f.rule,
                        "source": f.source,
                        "message": f.message,
                        "basis": f.basis.value,
                    }
                    for f in standing
                ],
            )
        self.final_rating, self.final_score = rating, score
        self.overrides = [Override(rule, reason, by, at) for rule, reason in reasons.items()]
        self.state = EvaluationState.FINALISED
        self.finalised_at = at
        note = "; ".join(f"override {o.rule}: {o.reason}" for o in self.overrides) or None
        self.history.append(Step(EvaluationState.FINALISED, at, by, note, subject))

    def reopen(self, reason: str, by: str, at: datetime, subject: str | None = None) -> None:
        """The ward committee takes back a finalised rating, with its reason: the old rating
        stays in `reopenings`, the cell's proposal stands until proposed again or finalised."""
        if self.state is not EvaluationState.FINALISED or self.final_rating is None:
            raise InvalidTransition(
                f"Only a FINALISED evaluation can be reopened; this one is {self.state.value}.",
                state=self.state.value,
            )
        reason = required_text(reason, "reason")
        self.reopenings.append(
            Reopening(self.final_rating, self.final_score, reason, by, at, subject)
        )
        self.final_rating, self.final_score, self.finalised_at = None, None, None
        self.overrides = []
        self.state = EvaluationState.PROPOSED
        note = f"reopened (was {self.reopenings[-1].rating.value}): {reason}"
        self.history.append(Step(EvaluationState.PROPOSED, at, by, note, subject))
