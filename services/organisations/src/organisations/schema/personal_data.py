# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is untyped for mypy 2 in strawberry 0.341)
"""The personal data this subgraph serves, and the auditors' view of who read it.

The service keeps no names, birth dates or card numbers of members: those live in the members
service. What it does hold about a person is where a dissolution plan sends them: a placement's
person id, kind and destination cell. Each read of those is logged (kit.access_log).
"""

from collections.abc import Collection

import strawberry
from kit.access_log import PersonalType
from kit.audit import access_log_field
from kit.errors import Forbidden

from organisations.authorisation import Operation
from organisations.schema.context import Context
from organisations.schema.dissolution_records import Placement


def _person(placement: Placement) -> str:
    return str(placement.person_id)


def _cell(placement: Placement) -> str:
    return placement.cell_id


PERSONAL = {
    "Placement": PersonalType(
        frozenset({"personId", "personKind", "destinationCellId", "destinationCell"}),
        person_of=_person,
        organisation_of=_cell,
    )
}


async def audited_subtrees(info: Context) -> Collection[str] | None:
    """The organisations of the subtrees the caller audits (None: the whole tree)."""
    roots = info.context.access.subtrees(Operation.READ_ACCESS_LOG)
    if roots == frozenset():
        raise Forbidden
    return None if roots is None else await info.context.use_cases.hierarchy.subtree_ids(roots)


@strawberry.type
class PersonalDataQuery:
    placement_data_access_log = access_log_field(
        "Reads of placements (who a dissolution plan sends where), newest first. AUDITOR; an "
        "auditor of a subtree sees the reads of people whose cell lies in it.",
        within=audited_subtrees,
    )
