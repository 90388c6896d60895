"""Who may do what with evaluations: this service's rows of the table in PRODUCT.md
("Security"). Every query, mutation, entity reference and nested field asks `allows` about one
operation family, the organisation its object lives in and the member it concerns; nothing
else decides.

An organisation is given by its ancestry (its own id and every ancestor's); an object whose
organisation cannot be established (an unknown member or id) has the empty ancestry, which
only a grant over the whole tree, or the member's own record, covers: only they may learn
that something does not exist. The machinery is the kit's (kit.authorisation).
"""

from enum import Enum

from kit.authorisation import Rules, rule
from kit.identity import Role

READERS = (
    Role.CITY_COMMITTEE,
    Role.DISTRICT_STANDING,
    Role.WARD_COMMITTEE,
    Role.CELL_SECRETARY,
    Role.AUDITOR,
)
SECRETARY = Role.CELL_SECRETARY


class Operation(Enum):
    READ_EVALUATION = "evaluation reads"
    READ_SUMMARY = "evaluationSummary"
    ASSIGN_TASK = "assignTask"
    RECORD_ASSIGNMENT_RESULT = "recordAssignmentResult"
    PROPOSE_RATING = "proposeRating"
    ADD_SUPERVISION_FEEDBACK = "addSupervisionFeedback"
    ADD_HOST_CELL_FEEDBACK = "addHostCellFeedback"
    FINALISE_RATING = "finaliseRating, finaliseRatings"
    REOPEN_RATING = "reopenRating"
    SELF_ASSESS = "selfAssess"
    SUBMIT_WORKPLACE_ASSESSMENTS = "submitWorkplaceAssessments"
    READ_ACCESS_LOG = "evaluationDataAccessLog"


# the organisation a grant must cover, after each rule
RULES: Rules[Operation] = Rules(
    {
        # evaluation, evaluations, evaluationConnection, _entities Evaluation,
        # PartyMember.evaluations / assignments / workplaceAssessments / evaluatedBy, and what
        # an evaluation holds: the evaluating cell
        Operation.READ_EVALUATION: rule(*READERS, own_records=True),
        Operation.READ_SUMMARY: rule(*READERS),  # the organisation summarised
        Operation.ASSIGN_TASK: rule(SECRETARY),  # the evaluating cell
        Operation.RECORD_ASSIGNMENT_RESULT: rule(SECRETARY),  # the cell that gave the task
        Operation.PROPOSE_RATING: rule(SECRETARY),  # the evaluating cell
        Operation.ADD_SUPERVISION_FEEDBACK: rule(SECRETARY),  # the residential cell
        # the host cell of a TEMPORARY stay: its secretary, or its ward committee
        Operation.ADD_HOST_CELL_FEEDBACK: rule(SECRETARY, Role.WARD_COMMITTEE),
        Operation.FINALISE_RATING: rule(Role.WARD_COMMITTEE),  # the evaluating cell
        Operation.REOPEN_RATING: rule(Role.WARD_COMMITTEE),  # the evaluating cell
        Operation.SELF_ASSESS: rule(own_records=True),  # none: the member's own evaluation
        # each item's member's evaluating cell for the item's period
        Operation.SUBMIT_WORKPLACE_ASSESSMENTS: rule(Role.WORKPLACE_ASSESSOR, Role.INTEGRATION),
        # the organisation recorded with each entry (the evaluating cell)
        Operation.READ_ACCESS_LOG: rule(Role.AUDITOR),
    }
)
