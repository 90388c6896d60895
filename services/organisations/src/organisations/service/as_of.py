"""An organisation as it stood on a day, and whether it met a list's criteria then."""

from dataclasses import replace
from datetime import date

from kit.search import finds

from organisations.domain import Organisation
from organisations.service.ports import OrganisationFilter


def as_of(organisation: Organisation, day: date) -> Organisation | None:
    """A copy of the organisation as it stood on `day` (None before it was formed); its
    ancestry is today's (grants are checked on the tree as it is)."""
    if not organisation.existed_on(day):
        return None
    return replace(
        organisation,
        code=organisation.code_on(day),
        parent_id=organisation.parent_on(day),
        status=organisation.status_on(day),
        dissolved_on=organisation.dissolved_on
        if organisation.dissolved_on and organisation.dissolved_on <= day
        else None,
    )


def criteria_hold(criteria: OrganisationFilter, then: Organisation) -> bool:
    """Whether the organisation, as it stood then, meets the criteria; a search finds its name
    or its code of the day as the store's search does (kit.search)."""
    return (
        (criteria.kind is None or then.kind is criteria.kind)
        and (criteria.cell_type is None or then.cell_type is criteria.cell_type)
        and (criteria.status is None or then.status is criteria.status)
        and (criteria.search is None or finds(criteria.search, f"{then.name} {then.code}"))
    )
