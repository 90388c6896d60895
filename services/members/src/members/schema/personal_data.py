"""The personal fields of this subgraph, named once: every read of one leaves an entry in the
personal-data access log (whose, which fields, who read, the request id)."""

from kit.access_log import PersonalType

from members.schema.candidates import AdmissionCandidate
from members.schema.entities import ProposedPlacement
from members.schema.keys import MemberKeyMatch
from members.schema.members import PartyMember
from members.schema.transfers import Transfer


def _member(member: PartyMember) -> str:
    return member.id


def _member_cell(member: PartyMember) -> str | None:
    return member.organisation_id


def _candidate(candidate: AdmissionCandidate) -> str:
    return candidate.id


def _candidate_cell(candidate: AdmissionCandidate) -> str:
    return candidate.organisation_id


def _transferred(transfer: Transfer) -> str:
    return transfer.domain_transfer.person_id


def _leaving(transfer: Transfer) -> str:
    return transfer.domain_transfer.from_organisation_id


def _placed(placement: ProposedPlacement) -> str:
    return placement.person_id


def _placed_from(placement: ProposedPlacement) -> str:
    return placement.organisation_id


def _holder(match: MemberKeyMatch) -> str | None:
    return match.member_id


def _holder_cell(match: MemberKeyMatch) -> str | None:
    return match.organisation_id


PERSONAL: dict[str, PersonalType] = {
    "PartyMember": PersonalType(
        frozenset(
            {
                "cardNumber",
                "citizenId",
                "fullName",
                "dateOfBirth",
                "gender",
                "residence",
                "workplace",
                "standing",
                "admittedOn",
                "officialOn",
                "probationEndsOn",
                "admissionCeremonyOn",
                "ceremonyDueBy",
                "ceremonyLate",
                "recognitionDueBy",
                "recognitionOverdue",
                "introducers",
                "awarenessCertificate",
                "transferredOutTo",
                "history",
            }
        ),
        person_of=_member,
        organisation_of=_member_cell,
    ),
    "AdmissionCandidate": PersonalType(
        frozenset(
            {"fullName", "dateOfBirth", "gender", "residence", "workplace", "history", "moves"}
        ),
        person_of=_candidate,
        organisation_of=_candidate_cell,
    ),
    "Transfer": PersonalType(
        frozenset({"personName", "introductionLetter"}),
        person_of=_transferred,
        organisation_of=_leaving,
    ),
    # who holds a card number or citizen ID
    "MemberKeyMatch": PersonalType(
        frozenset({"memberId", "organisation"}),
        person_of=_holder,
        organisation_of=_holder_cell,
    ),
    "ProposedPlacement": PersonalType(
        frozenset({"fullName"}), person_of=_placed, organisation_of=_placed_from
    ),
}
