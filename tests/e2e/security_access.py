"""The personal-data access logs, read as an auditor of the whole tree through the gateway, and
matched against the reads the tests made."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from kit.identity import Principal

from tests.e2e.security_gateway import AUDITOR, PersonalRead, SecureGateway

QUERIES = {
    "members": "memberDataAccessLog",
    "evaluations": "evaluationDataAccessLog",
    "organisations": "placementDataAccessLog",
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
