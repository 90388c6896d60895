"""Who may do what in the organisations service, and where: its rows of the authorisation table.

A rule names the roles that may take an operation and where their grant must be: over the
organisation the operation concerns (a grant on it or on any organisation above it covers it)
or anywhere in the tree. The tree, directives, campaigns (their counts) and today hold no
personal data: every authenticated caller reads them. What "the organisation concerned" is:

    createOrganisation        the parent (no parent, a root: only a whole-tree grant)
    updateOrganisation        the organisation; on a move, its old parent and its new one
    importOrganisations       each row as createOrganisation (new) or updateOrganisation
    launchCampaign            the campaign's district committee
    a dissolution case        its cell: reads, steps, `_entities`; lists keep what is covered
    a restructuring case      deciding: every organisation given and received; the hand-over
                              record: the one given; acceptance: the receiving side; reads:
                              any of them
    placementDataAccessLog    the person's cell: a scoped auditor sees entries of its subtree

The machinery is the kit's (kit.authorisation); the schema asks it through the request's
`Access` (schema/access.py) before a use case runs. An id that does not exist has no ancestry,
so only a whole-tree grant passes (and then hears NOT_FOUND): a refusal never tells what
exists.
"""

from enum import Enum

from kit.authorisation import EVERYONE, Rules, rule
from kit.identity import Role

from organisations.domain import Step


class Operation(Enum):
    READ_TREE = "organisations, directives, campaigns and their counts, today"
    CHANGE_TREE = "createOrganisation, updateOrganisation, importOrganisations (each row)"
    ISSUE_DIRECTIVE = "issueDirective"
    LAUNCH_CAMPAIGN = "launchCampaign"
    READ_CASES = "dissolutionCase(s), Campaign.cases, _entities DissolutionCase"
    RUN_CASE = (
        "recordDissemination, submitPlan, issueDissolutionDecision, recordAnnouncement, "
        "correctCaseStep of those steps"
    )
    REVIEW_PLAN = "approvePlan, returnPlan, correctCaseStep of APPROVE_PLAN"
    RESTRUCTURE = (
        "launchRestructuringCampaign, openRestructuring, issueRestructuringDecision: over "
        "every organisation given and received"
    )
    RECORD_HANDOVER = "recordHandover: over the organisation given (the giving side)"
    ACCEPT_RESTRUCTURING = "acceptRestructuring: over the receiving side"
    READ_RESTRUCTURING = "restructuringCase(s): over any organisation given or received"
    SET_TODAY = "setToday (development only)"
    READ_ACCESS_LOG = "placementDataAccessLog"


# the city standing committee does, over its tree, what the district did before 2025
STANDING = (Role.CITY_COMMITTEE, Role.DISTRICT_STANDING)
READERS = (*STANDING, Role.WARD_COMMITTEE, Role.CELL_SECRETARY, Role.AUDITOR)

RULES: Rules[Operation] = Rules(
    {
        Operation.READ_TREE: EVERYONE,
        Operation.CHANGE_TREE: rule(*STANDING),
        Operation.ISSUE_DIRECTIVE: rule(*STANDING, anywhere=True),
        Operation.LAUNCH_CAMPAIGN: rule(*STANDING),
        Operation.READ_CASES: rule(*READERS),
        Operation.RUN_CASE: rule(Role.WARD_COMMITTEE),
        Operation.REVIEW_PLAN: rule(*STANDING),
        Operation.RESTRUCTURE: rule(*STANDING),
        Operation.RECORD_HANDOVER: rule(Role.WARD_COMMITTEE, *STANDING),
        Operation.ACCEPT_RESTRUCTURING: rule(Role.WARD_COMMITTEE, *STANDING),
        Operation.READ_RESTRUCTURING: rule(*READERS),
        Operation.SET_TODAY: rule(*STANDING, anywhere=True),
        Operation.READ_ACCESS_LOG: rule(Role.AUDITOR),
    }
)

# The steps a person takes on a case; CLOSE is the members service's report, taken as the system.
STEPS: dict[Step, Operation] = {
    Step.RECORD_DISSEMINATION: Operation.RUN_CASE,
    Step.SUBMIT_PLAN: Operation.RUN_CASE,
    Step.RECORD_ANNOUNCEMENT: Operation.RUN_CASE,
    Step.APPROVE_PLAN: Operation.REVIEW_PLAN,
    Step.RETURN_PLAN: Operation.REVIEW_PLAN,
    Step.ISSUE_DECISION: Operation.RUN_CASE,
}
