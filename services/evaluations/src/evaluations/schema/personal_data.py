"""The personal fields this subgraph serves, named once for the access log: every read of one
leaves an entry naming the evaluated member, the evaluating cell and the fields (never values)."""

from typing import Any

from kit.access_log import PersonalType


def _record(evaluation: Any) -> Any:
    return evaluation.record


PERSONAL_FIELDS: dict[str, PersonalType] = {
    "Evaluation": PersonalType(
        frozenset(
            {
                "selfRating",
                "selfComment",
                "proposedRating",
                "proposedScore",
                "proposalNote",
                "finalRating",
                "score",
                "overrides",
                "history",
                "assignments",
                "workplaceAssessments",
                "supervisionFeedback",
                "policyFindings",
            }
        ),
        person_of=lambda evaluation: _record(evaluation).member_id,
        organisation_of=lambda evaluation: _record(evaluation).cell_id,
    ),
    "Assignment": PersonalType(
        frozenset({"task", "assignedOn", "dueOn", "result", "note"}),
        person_of=lambda assignment: assignment.member_id,
        organisation_of=lambda assignment: assignment.cell_id,
    ),
    "WorkplaceAssessment": PersonalType(
        # `member`: whom a result sent by card number or citizen ID is about
        frozenset({"assessorRole", "assessorName", "rating", "comment", "recordedAt", "member"}),
        person_of=lambda assessment: assessment.member_id,
        organisation_of=lambda assessment: assessment.cell_id,
    ),
    "SupervisionFeedback": PersonalType(
        frozenset({"comment", "givenAt", "by"}),
        person_of=lambda feedback: feedback.member_id,
        organisation_of=lambda feedback: feedback.cell_id,
    ),
}
