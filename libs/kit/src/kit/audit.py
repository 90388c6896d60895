"""The auditors' side of the personal-data access log: the entry they read and the one
`…DataAccessLog` field every subgraph serves, each with its own rule of whose entries an
auditor sees:

    @strawberry.type
    class Query:
        member_data_access_log = access_log_field("Who read …", within=auditable_organisations)

`within(info)` is FORBIDDEN for a caller who may not read the log, None when they see the whole
tree, else the organisations whose persons' entries they see.
"""

from collections.abc import Awaitable, Callable, Collection
from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from kit.access_log import AccessLog, AccessRecord, BadAccessLogQuery
from kit.graphql_context import ServiceContext
from kit.pages import MAX_PAGE

Auditor = Info[ServiceContext[Any], None]
Within = Callable[[Any], Awaitable[Collection[str] | None]]


@strawberry.federation.type(
    shareable=True, description="One read of a person's personal fields [nhật ký truy cập]"
)
class PersonalDataAccess:
    id: strawberry.ID
    at: datetime
    service: str
    subject: str = strawberry.field(description="Who read: the token's subject")
    name: str
    roles: list[str] = strawberry.field(description="Their roles, as ROLE@organisationId")
    person_type: str = strawberry.field(description="PartyMember, AdmissionCandidate, …")
    person_id: strawberry.ID
    organisation_id: strawberry.ID | None
    fields: list[str] = strawberry.field(description="The personal fields read (never values)")
    request_id: str
    operation: str | None

    @classmethod
    def of(cls, record: AccessRecord) -> "PersonalDataAccess":
        return cls(
            id=strawberry.ID(record.id),
            at=record.at,
            service=record.service,
            subject=record.subject,
            name=record.name,
            roles=record.roles,
            person_type=record.person_type,
            person_id=strawberry.ID(record.person_id),
            organisation_id=strawberry.ID(record.organisation_id)
            if record.organisation_id
            else None,
            fields=record.fields,
            request_id=record.request_id,
            operation=record.operation,
        )


async def access_entries(
    access_log: AccessLog,
    *,
    within: Collection[str] | None,
    person_id: str | None,
    subject: str | None,
    since: datetime | None,
    until: datetime | None,
    first: int,
) -> list[PersonalDataAccess]:
    """An auditor's page of the log, newest first: `within` the organisations whose persons
    they may see (None: the whole tree) — each service's `…DataAccessLog` query."""
    if not 1 <= first <= MAX_PAGE:
        raise BadAccessLogQuery(f"first is 1 to {MAX_PAGE}.", field="first")
    records = await access_log.find(
        person_id=person_id,
        subject=subject,
        since=since,
        until=until,
        organisation_ids=within,
        limit=first,
    )
    return [PersonalDataAccess.of(record) for record in records]


def access_log_field(description: str, within: Within) -> Any:
    """The `…DataAccessLog` query field: an auditor's page of the log, newest first, kept to
    the entries `within` lets them see."""

    async def entries(
        info: Auditor,
        person_id: strawberry.ID | None = None,
        subject: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        first: int = 100,
    ) -> list[PersonalDataAccess]:
        return await access_entries(
            info.context.access_log,
            within=await within(info),
            person_id=person_id,
            subject=subject,
            since=since,
            until=until,
            first=first,
        )

    return strawberry.field(resolver=entries, description=description)
