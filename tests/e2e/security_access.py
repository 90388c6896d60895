"""The personal-data access logs, read as an auditor of the whole tree through the gateway, and
matched against the reads the tests made."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from kit.identity import Principal

from tests.e2e.security_gateway import AUDITOR, Answered, PersonalRead, SecureGateway

QUERIES = {
    "members": "memberDataAccessLog",
    "evaluations": "evaluationDataAccessLog",
    "organisations": "placementDataAccessLog",
}
# Personal fields (contract: named once per service), as keys of an answer, where the name
# alone tells the service; a value under one means that service's log has an entry. Lists of
# tasks, job results or feedback count by their contents (task, rating, comment, …).
SHOWN_BY = {
    **dict.fromkeys(
        [
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
            "personName",
            "introductionLetter",
            "handOverRecord",
        ],
        "members",
    ),
    **dict.fromkeys(
        [
            "selfRating",
            "selfComment",
            "proposedRating",
            "proposedScore",
            "proposalNote",
            "finalRating",
            "score",
            "task",
            "result",
            "assessorName",
            "rating",
            "comment",
        ],
        "evaluations",
    ),
}
FIELDS = "requestId subject name roles personType personId organisationId fields service operation"


def grants_of(principal: Principal) -> set[str]:
    """A principal's roles as the access log writes them: ROLE@organisationId, or ROLE."""
    return {
        f"{g.role.value}@{g.organisation_id}" if g.organisation_id else g.role.value
        for g in principal.grants
    }


async def entries(
    gateway: SecureGateway,
    service: str,
    person: str,
    subject: str | None = None,
    principal: Principal = AUDITOR,
) -> list[dict[str, Any]]:
    field = QUERIES[service]
    query = (
        f"query ($person: ID!, $subject: String) {{ r: {field}(personId: $person, "
        f"subject: $subject, first: 500) {{ {FIELDS} }} }}"
    )
    data = await gateway.ok(principal, query, {"person": person, "subject": subject})
    found: list[dict[str, Any]] = data["r"]
    return found


def services_shown(answer: Any) -> set[str]:
    """The services whose personal fields hold a value somewhere in an answer."""
    if isinstance(answer, list):
        return set().union(*(services_shown(item) for item in answer))
    if not isinstance(answer, dict):
        return set()
    shown = {SHOWN_BY[k] for k, v in answer.items() if k in SHOWN_BY and v not in (None, [])}
    return shown.union(*(services_shown(value) for value in answer.values()))


async def requests_logged(gateway: SecureGateway, service: str, subject: str) -> set[str]:
    """The request ids of every entry of a reader in a service's log, page by page (newest
    first; a page ends at a millisecond the next one starts at again)."""
    field = QUERIES[service]
    query = (
        f"query ($subject: String!, $until: DateTime) {{ r: {field}(subject: $subject, "
        f"until: $until, first: 500) {{ id at requestId }} }}"
    )
    seen: dict[str, str] = {}
    until = None
    while True:
        page = (await gateway.ok(AUDITOR, query, {"subject": subject, "until": until}))["r"]
        new = [entry for entry in page if entry["id"] not in seen]
        seen |= {entry["id"]: entry["requestId"] for entry in new}
        if len(page) < 500 or not new:
            return set(seen.values())
        last = datetime.fromisoformat(page[-1]["at"])
        until = (last + timedelta(milliseconds=1)).isoformat()


async def unlogged_answers(gateway: SecureGateway, answers: list[Answered]) -> list[str]:
    """The answers that showed a service's personal data with no entry of theirs there."""
    expected = [(answer, service) for answer in answers for service in services_shown(answer.data)]
    logged: dict[tuple[str, str], set[str]] = {}
    for service, subject in {(s, a.principal.subject) for a, s in expected}:
        logged[service, subject] = await requests_logged(gateway, service, subject)
    return [
        f"{service}: {answer.principal.subject} {answer.request_id} {answer.data}"
        for answer, service in expected
        if answer.request_id not in logged[service, answer.principal.subject]
    ]


async def by_request(
    gateway: SecureGateway, reads: Iterable[PersonalRead]
) -> dict[PersonalRead, list[dict[str, Any]]]:
    """The entries of each read's request about its person, one query per service, person and
    reader."""
    groups: dict[tuple[str, str, str], list[PersonalRead]] = defaultdict(list)
    for read in reads:
        groups[read.service, read.person_id, read.principal.subject].append(read)
    found: dict[PersonalRead, list[dict[str, Any]]] = {}
    for (service, person, subject), group in groups.items():
        logged = await entries(gateway, service, person, subject)
        for read in group:
            found[read] = [e for e in logged if e["requestId"] == read.request_id]
    return found


def matches(read: PersonalRead, entry: dict[str, Any]) -> bool:
    """The entry says who read (subject, roles), whose data, of which type, which fields."""
    return (
        entry["subject"] == read.principal.subject
        and set(entry["roles"]) == grants_of(read.principal)
        and entry["personId"] == read.person_id
        and entry["personType"] == read.person_type
        and entry["service"] == read.service
        and read.fields <= set(entry["fields"])
    )


async def unlogged(gateway: SecureGateway, reads: list[PersonalRead]) -> list[str]:
    """The reads with no entry that matches them."""
    found = await by_request(gateway, reads)
    return [
        f"{read} → {found[read]}"
        for read in reads
        if not any(matches(read, entry) for entry in found[read])
    ]


async def logged_anyway(gateway: SecureGateway, refused: list[PersonalRead]) -> list[str]:
    """The refused reads that left an entry of the person they did not show."""
    found = await by_request(gateway, refused)
    return [f"{read} → {found[read]}" for read in refused if found[read]]
