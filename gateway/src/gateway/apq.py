"""Automatic Persisted Queries as Apollo Client sends them (extensions.persistedQuery)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache


@dataclass(frozen=True)
class APQError(Exception):
    code: str
    message: str
    status: int = 200


class PersistedQueries:
    """A bounded cache from sha256 hash to query text."""

    def __init__(self, size: int) -> None:
        self.cache: LRUCache[str, str] = LRUCache(maxsize=size)

    def resolve(self, query: str | None, extensions: dict[str, Any] | None) -> str | None:
        """The query to run, registering it when the client sends both the text and its hash."""
        persisted = (extensions or {}).get("persistedQuery")
        if not isinstance(persisted, dict):
            return query
        if persisted.get("version") != 1:
            raise APQError(
                "PERSISTED_QUERY_NOT_SUPPORTED", "Unsupported persisted query version", 400
            )
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str):
            raise APQError("BAD_REQUEST", "persistedQuery.sha256Hash is missing", 400)
        if query is None:
            found = self.cache.get(digest)
            if found is None:
                raise APQError("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
            return found
        if hashlib.sha256(query.encode()).hexdigest() != digest:
            raise APQError("BAD_REQUEST", "provided sha does not match query", 400)
        self.cache[digest] = query
        return query
