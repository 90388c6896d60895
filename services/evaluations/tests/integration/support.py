"""Callers for tests of authorisation, and how a refusal looks."""

import uuid
from typing import Any

from kit.identity import Grant, Principal, Role


def acting_as(role: Role, organisation: str | None = None, member: str | None = None) -> Principal:
    """A caller holding one role over an organisation's subtree (None: the whole tree)."""
    subject = f"u-{role.value.lower()}-{uuid.uuid4().hex[:6]}"
    return Principal(subject, f"{role.value} {organisation}", (Grant(role, organisation),), member)


def refused(body: dict[str, Any], *path: str | int) -> None:
    """Refused FORBIDDEN at `path`, with the one message that says nothing of what exists."""
    errors = [e for e in body.get("errors", []) if tuple(e.get("path", ())) == path]
    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"], body
    assert errors[0]["message"] == "Not allowed for your roles in this part of the organisation"
