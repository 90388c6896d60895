"""The personal-data access log: every read of a person's personal fields leaves an entry — who
(subject, name, roles), whose data, which fields, when, the request id — in an append-only
collection of the service's own database, queryable by auditors.

A service names its personal fields once, per GraphQL type, and adds the extension to its
schema; the context (kit.graphql_context) carries the `AccessLog` as `access_log`:

    PERSONAL = {"PartyMember": PersonalType(frozenset({"fullName", ...}), person_of=..., ...)}
    schema = Schema(..., extensions=[ErrorCodes, personal_data_reads(PERSONAL)])

Entries are written before the response leaves: a read that cannot be recorded is not answered.
Entries name fields, never their values. A request the gateway answered together with others
(one caller's identical work of one turn: the gateway's coalescing.py) names theirs
in `x-partyorg-joined-request-ids`, and each of them gets its entries too.
"""

import inspect
import json
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from graphql import GraphQLError
from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from strawberry.extensions import SchemaExtension

from kit.context import current_request_id
from kit.errors import DomainError
from kit.identity import current_principal
from kit.mongo.indexes import Index, create_indexes
from kit.pages import MAX_PAGE

log = logging.getLogger(__name__)

COLLECTION = "personal_data_access"
JOINED_REQUEST_IDS_HEADER = "x-partyorg-joined-request-ids"
MAX_JOINED_REQUESTS = 100  # the most the gateway joins to one fetch


@dataclass(frozen=True, slots=True)
class PersonalType:
    """The personal fields of one GraphQL type and how to tell whose they are."""

    fields: frozenset[str]
    person_of: Callable[[Any], str | None]
    organisation_of: Callable[[Any], str | None] = lambda _: None


@dataclass(frozen=True, slots=True)
class AccessRecord:
    id: str
    at: datetime
    service: str
    subject: str
    name: str
    roles: list[str]
    person_type: str
    person_id: str
    organisation_id: str | None
    fields: list[str]
    request_id: str
    operation: str | None


class AccessNotRecorded(Exception):
    code = "INTERNAL_SERVER_ERROR"


class BadAccessLogQuery(DomainError):
    """An auditor's query the log refuses (BAD_USER_INPUT, naming the field)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message, field=field)


# newest first after the equality filters: a person's reads (seen by a scoped reader: within
# their organisations), a reader's, or every read of a time span
ACCESS_LOG_INDEXES = (
    Index("person_by_time", ("personId", "-at")),
    Index("person_organisation_by_time", ("personId", "organisationId", "-at")),
    Index("reader_by_time", ("subject", "-at")),
    Index("reader_person_by_time", ("subject", "personId", "-at")),
    Index("reader_person_organisation_by_time", ("subject", "personId", "organisationId", "-at")),
    Index("reader_organisation_by_time", ("subject", "organisationId", "-at")),
    Index("organisation_by_time", ("organisationId", "-at")),
    Index("by_time", ("-at",)),
)


class AccessLog:
    """Append-only: this class inserts and finds, nothing in the code base updates or deletes."""

    def __init__(self, database: AsyncDatabase[dict[str, Any]], service: str) -> None:
        self.collection = database[COLLECTION]
        self.service = service

    async def create_indexes(self) -> None:
        await create_indexes(self.collection, ACCESS_LOG_INDEXES)

    async def append(self, records: list[AccessRecord]) -> None:
        if records:
            # fresh documents only: inserts need no turn in the serialised writes
            await self.collection.insert_many(
                [_document(record) for record in records], ordered=False
            )

    async def find(
        self,
        *,
        person_id: str | None = None,
        subject: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        organisation_ids: Collection[str] | None = None,
        limit: int = 100,
    ) -> list[AccessRecord]:
        query: dict[str, Any] = {}
        if person_id is not None:
            query["personId"] = person_id
        if subject is not None:
            query["subject"] = subject
        if since is not None or until is not None:
            query["at"] = {
                **({"$gte": since} if since else {}),
                **({"$lt": until} if until else {}),
            }
        if organisation_ids is not None:
            query["organisationId"] = {"$in": list(organisation_ids)}
        cursor = self.collection.find(query).sort("at", DESCENDING).limit(min(limit, MAX_PAGE))
        return [_record(document) async for document in cursor]


def _document(record: AccessRecord) -> dict[str, Any]:
    return {
        "_id": record.id,
        "at": record.at,
        "service": record.service,
        "subject": record.subject,
        "name": record.name,
        "roles": record.roles,
        "personType": record.person_type,
        "personId": record.person_id,
        "organisationId": record.organisation_id,
        "fields": record.fields,
        "requestId": record.request_id,
        "operation": record.operation,
    }


def _record(document: dict[str, Any]) -> AccessRecord:
    at: datetime = document["at"]
    return AccessRecord(
        id=document["_id"],
        at=at if at.tzinfo else at.replace(tzinfo=UTC),
        service=document["service"],
        subject=document["subject"],
        name=document.get("name", ""),
        roles=list(document.get("roles", [])),
        person_type=document["personType"],
        person_id=document["personId"],
        organisation_id=document.get("organisationId"),
        fields=list(document["fields"]),
        request_id=document["requestId"],
        operation=document.get("operation"),
    )


@dataclass
class PersonalReads:
    """The personal fields read in one operation, per person: noted by the extension below for
    the fields a subgraph names, and by a resolver that hands out personal data another way (a
    paper listing people) — the context holds them, and they are logged when the operation
    ends."""

    fields: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    organisation: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def add(self, type_name: str, person: str, organisation: str | None, name: str) -> None:
        key = (type_name, person)
        self.fields.setdefault(key, set()).add(name)
        if organisation is not None or key not in self.organisation:
            self.organisation[key] = organisation


class PersonalDataReads(SchemaExtension):
    types: ClassVar[dict[str, PersonalType]] = {}

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: Any,
        *args: str,
        **kwargs: Any,
    ) -> Any:
        kind = self.types.get(info.parent_type.name)
        if kind is None or info.field_name not in kind.fields:
            return _next(root, info, *args, **kwargs)
        value = _next(root, info, *args, **kwargs)
        if inspect.isawaitable(value):
            return self._after(value, kind, root, info)
        self._note(kind, root, info)
        return value

    async def _after(self, value: Awaitable[Any], kind: PersonalType, root: Any, info: Any) -> Any:
        result = await value
        self._note(kind, root, info)
        return result

    def _note(self, kind: PersonalType, root: Any, info: Any) -> None:
        person = kind.person_of(root)
        if person is not None:
            info.context.personal_reads.add(
                info.parent_type.name, person, kind.organisation_of(root), info.field_name
            )

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        reads: PersonalReads = context.personal_reads
        if not reads.fields:
            return
        access_log: AccessLog = context.access_log
        principal = current_principal()
        now = datetime.now(UTC)
        requests = [current_request_id(), *joined_request_ids(context)]
        operation = self.execution_context.operation_name
        roles = sorted(
            f"{g.role.value}@{g.organisation_id}" if g.organisation_id else g.role.value
            for g in principal.grants
        )
        records = [
            AccessRecord(
                id=uuid.uuid4().hex,
                at=now,
                service=access_log.service,
                subject=principal.subject,
                name=principal.name,
                roles=roles,
                person_type=type_name,
                person_id=person,
                organisation_id=reads.organisation.get((type_name, person)),
                fields=sorted(names),
                request_id=request,
                operation=operation,
            )
            for request in requests
            for (type_name, person), names in reads.fields.items()
        ]
        try:
            await access_log.append(records)
        except Exception as error:  # the read is not answered when its trace cannot be kept
            log.exception("personal-data access not recorded; answer withheld")
            result = self.execution_context.result
            if result is not None:
                result.data = None
                result.errors = [
                    GraphQLError(
                        "Personal-data access could not be recorded",
                        original_error=AccessNotRecorded(str(error)),
                    )
                ]


def joined_request_ids(context: Any) -> list[str]:
    """The other requests this one answers, as the gateway names them (a JSON array)."""
    request = getattr(context, "request", None)
    sent = request.headers.get(JOINED_REQUEST_IDS_HEADER) if request is not None else None
    if not sent:
        return []
    try:
        named = json.loads(sent)
    except ValueError:
        named = None
    if not isinstance(named, list) or len(named) > MAX_JOINED_REQUESTS:
        log.warning("joined request ids unreadable; the request's own logged alone")
        return []
    return [item for item in named if isinstance(item, str) and 0 < len(item) <= 128]


def personal_data_reads(types: dict[str, PersonalType]) -> type[SchemaExtension]:
    return type("PersonalDataReads", (PersonalDataReads,), {"types": types})
