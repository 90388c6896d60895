"""A caller's scope as a query clause: lists are filtered in the database, not after it."""

from kit.mongo import Document

from members.service.ports import Scope


def within(scope: Scope, *organisation_fields: str, person_field: str | None = None) -> Document:
    """Documents whose organisation (any of the fields) is in the scope, or that are the
    caller's own record; no clause when the scope is everywhere."""
    if scope.organisation_ids is None:
        return {}
    ids = sorted(scope.organisation_ids)
    visible: list[Document] = [{field: {"$in": ids}} for field in organisation_fields]
    if scope.person_id is not None and person_field is not None:
        visible.append({person_field: scope.person_id})
    return any_of(visible)


def any_of(clauses: list[Document]) -> Document:
    """Documents matching one of the clauses; none when there is none."""
    if not clauses:
        return {"_id": {"$in": []}}
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def all_of(*clauses: Document) -> Document:
    """The clauses together, side by side in one filter where their fields differ: FerretDB
    hands the store only the equalities at a filter's top, none inside an `$and`."""
    present = [clause for clause in clauses if clause]
    merged: Document = {}
    for clause in present:
        if merged.keys() & clause.keys():
            return {"$and": present}
        merged.update(clause)
    return merged
