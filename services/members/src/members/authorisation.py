"""Who may read and change members, candidates and transfers: the operations and the rules
table, one row per operation family. A resolver checks its caller against them through the
request's `Access` (schema/access.py), before any use case runs.
"""

from enum import Enum

from kit.authorisation import Rules, rule
from kit.identity import Role


class Operation(Enum):
    READ_PERSON = (
        "member, memberByCard, members, probationaryMembers, candidate, candidates, "
        "Organisation.members, PartyMember.introducers, "
        "memberConnection, memberCount, candidates, _entities, Transfer.member, .candidate, "
        "AdmissionCandidate.mentors, .member, DissolutionCase.proposedPlacements, "
        ".handOverRecord, Transfer.introductionLetter"
    )
    READ_TRANSFER = (
        "transfer, transfers, Organisation.incomingTransfers, PartyMember.transfers, "
        "DissolutionCase.transfers, transferProgress, _entities"
    )
    CHANGE_PERSON = (
        "registerMember, updateMember, recordAdmissionCeremony, recognizeOfficial, addCandidate, "
        "advanceCandidate, admitCandidate"
    )
    ASSIGN_MENTOR = "assignMentor (the candidate's cell)"
    RUN_TRANSFER = (
        "requestTransfer, setTransferDestination, issueIntroduction, recordTransferChecklist, "
        "cancelTransfer, recordOverdueReason, issueIntroductions"
    )
    RECEIVE_TRANSFER = "receiveTransfer, receiveTransfers, correctReception"
    IMPORT_PEOPLE = "importMembers, importCandidates (each row: its cell)"
    LOOK_UP_KEYS = "memberKeys (each key: its holder's cell)"
    READ_ACCESS_LOG = "memberDataAccessLog"


READERS = (
    Role.CITY_COMMITTEE,
    Role.DISTRICT_STANDING,
    Role.WARD_COMMITTEE,
    Role.CELL_SECRETARY,
    Role.AUDITOR,
)

RULES: Rules[Operation] = Rules(
    {
        Operation.READ_PERSON: rule(*READERS, own_records=True),
        Operation.READ_TRANSFER: rule(*READERS, own_records=True),
        Operation.CHANGE_PERSON: rule(Role.WARD_COMMITTEE),
        # the cell (its secretary) assigns mentors, as well as the ward committee
        Operation.ASSIGN_MENTOR: rule(Role.CELL_SECRETARY, Role.WARD_COMMITTEE),
        Operation.RUN_TRANSFER: rule(Role.WARD_COMMITTEE),
        Operation.RECEIVE_TRANSFER: rule(Role.CELL_SECRETARY, Role.WARD_COMMITTEE),
        # a ward's or the district's lists, loaded by their staff
        Operation.IMPORT_PEOPLE: rule(
            Role.WARD_COMMITTEE, Role.DISTRICT_STANDING, Role.CITY_COMMITTEE
        ),
        # city systems that keep partyorg's ids learn them from the keys they hold
        Operation.LOOK_UP_KEYS: rule(Role.INTEGRATION),
        Operation.READ_ACCESS_LOG: rule(Role.AUDITOR),
    }
)
