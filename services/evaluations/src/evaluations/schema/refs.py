"""The entities of other subgraphs that this one's types point to, referred to lazily:
entities.py, which extends them, builds on those types."""

from typing import TYPE_CHECKING, Annotated

import strawberry

if TYPE_CHECKING:
    from evaluations.schema.entities import Organisation, PartyMember

PartyMemberRef = Annotated["PartyMember", strawberry.lazy("evaluations.schema.entities")]
OrganisationRef = Annotated["Organisation", strawberry.lazy("evaluations.schema.entities")]


def member_ref(member_id: str) -> "PartyMember":
    from evaluations.schema.entities import PartyMember  # it builds on the types pointing to it

    return PartyMember(id=strawberry.ID(member_id))


def organisation_ref(organisation_id: str) -> "Organisation":
    from evaluations.schema.entities import Organisation  # it builds on the types pointing to it

    return Organisation(id=strawberry.ID(organisation_id))
