"""An organisation as its document holds it, and what the store is asked for a page of
organisations (one leading equality it serves; the other equalities checked here)."""

from datetime import date

from kit import aggregates
from kit.mongo import Document
from kit.search import phrase_pattern, search_word_of, search_words, searchable

from organisations.domain import (
    CellType,
    FormerCode,
    LineageLink,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    ParentPeriod,
)
from organisations.service.ports import Change, OrganisationFilter


def to_document(organisation: Organisation) -> Document:
    return {
        "_id": organisation.id,
        "code": organisation.code,
        "name": organisation.name,
        "kind": organisation.kind.value,
        "parent_id": organisation.parent_id,
        "ancestor_ids": organisation.ancestor_ids,
        "cell_type": organisation.cell_type.value if organisation.cell_type else None,
        "coverage": organisation.coverage,
        "status": organisation.status.value,
        "dissolved_on": organisation.dissolved_on.isoformat()
        if organisation.dissolved_on
        else None,
        "version": organisation.version,
        "parent_history": [
            {"parent_id": p.parent_id, "since": _iso(p.since), "case_id": p.case_id}
            for p in organisation.parent_history
        ],
        "predecessors": [_link(link) for link in organisation.predecessors],
        "successors": [_link(link) for link in organisation.successors],
        "former_codes": [
            {"code": f.code, "until": f.until.isoformat()} for f in organisation.former_codes
        ],
        "established_on": _iso(organisation.established_on),
        "ceased_on": _iso(organisation.ceased_on),
        "search": searchable(f"{organisation.name} {_codes(organisation)}"),
        "search_words": search_words(organisation.name, _codes(organisation)),
        **_lookup_keys(organisation),
    }


def _lookup_keys(organisation: Organisation) -> Document:
    """What an old code and a parent of any time are looked up by: top-level lists, which the
    local store (FerretDB 1.24) finds by its indexes, where it reads every organisation for a
    field inside `former_codes` or `parent_history`."""
    parents = [p.parent_id for p in organisation.parent_history if p.parent_id]
    return {
        "codes_before": [f.code for f in organisation.former_codes],
        "parents_ever": list(dict.fromkeys(parents)),
    }


def from_document(document: Document) -> Organisation:
    return Organisation(
        id=document["_id"],
        code=document["code"],
        name=document["name"],
        kind=OrganisationKind(document["kind"]),
        parent_id=document.get("parent_id"),
        ancestor_ids=list(document.get("ancestor_ids") or []),
        cell_type=CellType(document["cell_type"]) if document.get("cell_type") else None,
        coverage=list(document.get("coverage") or []),
        status=OrganisationStatus(document["status"]),
        dissolved_on=date.fromisoformat(document["dissolved_on"])
        if document.get("dissolved_on")
        else None,
        version=int(document.get("version") or 1),
        parent_history=[
            ParentPeriod(p.get("parent_id"), _day(p.get("since")), p.get("case_id"))
            for p in document.get("parent_history") or []
        ],
        predecessors=[_lineage(d) for d in document.get("predecessors") or []],
        successors=[_lineage(d) for d in document.get("successors") or []],
        former_codes=[
            FormerCode(f["code"], date.fromisoformat(f["until"]))
            for f in document.get("former_codes") or []
        ],
        established_on=_day(document.get("established_on")),
        ceased_on=_day(document.get("ceased_on")),
    )


def _codes(organisation: Organisation) -> str:
    """Its code, then those it carried before: a search as of a day finds it by either."""
    return " ".join([organisation.code, *(f.code for f in organisation.former_codes)])


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _link(link: LineageLink) -> Document:
    return {
        "organisation_id": link.organisation_id,
        "on": link.on.isoformat(),
        "case_id": link.case_id,
    }


def _lineage(document: Document) -> LineageLink:
    return LineageLink(
        document["organisation_id"], date.fromisoformat(document["on"]), document["case_id"]
    )


def guarded(change: Change) -> aggregates.Change:
    """The change, written only over the version it was read at."""
    return aggregates.Change(
        to_document(change.organisation), change.events, read_version=change.read_version
    )


# A page's query leads with one equality, the most selective given (a parent's, a search's
# word, a subtree's, a kind), with the kind after a search's word or a subtree where indexes
# pair them, so that an index serves every combination of filters; the other equalities are
# checked here on the organisations that lead finds
LEADS = ("parent_id", "search_words", "ancestor_ids", "kind")
KIND_AFTER = ("search_words", "ancestor_ids")


def store_query(criteria: OrganisationFilter) -> tuple[Document, Document]:
    """The query the store is asked, and the equalities left to check here."""
    equal: Document = {}
    if criteria.kind is not None:
        equal["kind"] = criteria.kind.value
    if criteria.cell_type is not None:
        equal["cell_type"] = criteria.cell_type.value
    if criteria.status is not None:
        equal["status"] = criteria.status.value
    if criteria.parent_id is not None:
        equal["parent_id"] = criteria.parent_id
    if criteria.within_id is not None:
        equal["ancestor_ids"] = criteria.within_id
    word = search_word_of(criteria.search or "")
    if word is not None:  # one equality the store serves, then the phrase (kit.search)
        equal["search_words"] = word
    lead = next((field for field in LEADS if field in equal), None)
    served = {lead, "kind"} if lead in KIND_AFTER else {lead}
    query = {field: value for field, value in equal.items() if field in served}
    if word is not None:
        query["search"] = {"$regex": phrase_pattern(criteria.search or "")}
    return query, {field: value for field, value in equal.items() if field not in served}


def matches(document: Document, equal: Document) -> bool:
    """Whether the document holds each value (one of an array's, as the store would)."""
    for field, value in equal.items():
        held = document.get(field)
        if not (value in held if isinstance(held, list) else held == value):
            return False
    return True


# a page of organisations: equality filters, then code order, then the search decided on keys
