"""What every pattern subgraph shares: its Federation 2 link, and finding a record by id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LINK = "https://specs.apollo.dev/federation/v2.7"


def federation(*directives: str) -> str:
    imports = ", ".join(f'"@{d}"' for d in directives)
    return f'extend schema @link(url: "{LINK}", import: [{imports}])\n'


def by_id(records: dict[str, dict[str, Any]]) -> Callable[[dict[str, Any]], Any]:
    """An entity resolver finding a record by its `id`; None for an unknown id."""

    def resolve(representation: dict[str, Any]) -> dict[str, Any] | None:
        found = records.get(str(representation.get("id")))
        if found is None:
            return None
        return {"__typename": representation["__typename"], **found, "id": representation["id"]}

    return resolve
