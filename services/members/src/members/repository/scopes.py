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
    return visible[0] if len(visible) == 1 else {"$or": visible}


def all_of(*clauses: Document) -> Document:
    present = [clause for clause in clauses if clause]
    if not present:
        return {}
    return present[0] if len(present) == 1 else {"$and": present}
