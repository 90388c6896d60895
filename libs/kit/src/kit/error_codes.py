"""Domain errors become GraphQL errors with `extensions.code`, in this one place.

A service's domain raises its own exceptions (standard library only) that carry a `code`
class attribute — BAD_USER_INPUT, NOT_FOUND, CONFLICT, FORBIDDEN, INVALID_TRANSITION — and
optionally a `details` mapping (a domain error's only: a driver's error has a `code` and
`details` of the store's, with its internals). Anything else is an internal error, masked in
production (the context's `production`, which kit.http sets from the service's settings). The
store out of reach or too slow is no internal error: SERVICE_UNAVAILABLE, said plainly — a
write is not acknowledged then, and may be sent again once the service is ready (/readyz).
"""

import logging
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from pymongo.errors import ConnectionFailure, ExecutionTimeout, OperationFailure, WTimeoutError
from strawberry.extensions import SchemaExtension

log = logging.getLogger(__name__)

INTERNAL = "INTERNAL_SERVER_ERROR"
UNAVAILABLE = "SERVICE_UNAVAILABLE"
STORE_UNREACHABLE = "The store cannot be reached: the change is not confirmed; try again shortly"
STORE_TOO_SLOW = "The store did not answer in time: the change is not confirmed; try again shortly"
MAX_TIME_EXPIRED = 50  # MongoDB's MaxTimeMSExpired


def error_code(error: GraphQLError) -> str:
    original = error.original_error
    if original is None:
        return "GRAPHQL_VALIDATION_FAILED"
    if isinstance(original, GraphQLError):  # a value a scalar cannot take, e.g. a bad Date
        return "BAD_USER_INPUT"
    if isinstance(original, ConnectionFailure) or _store_too_slow(original):
        return UNAVAILABLE
    code = getattr(original, "code", None)
    return code if isinstance(code, str) else INTERNAL


def _store_too_slow(error: Exception) -> bool:
    """A query over the time it may take (MongoDB: MaxTimeMSExpired; FerretDB: an internal
    error from its handleMaxTimeMSError), a write concern's time-out. Other driver errors are
    ours: internal errors."""
    if isinstance(error, ExecutionTimeout | WTimeoutError):
        return True
    return isinstance(error, OperationFailure) and (
        error.code == MAX_TIME_EXPIRED or "MaxTimeMS" in str(error)
    )


class ErrorCodes(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        result.errors = [self._with_code(error) for error in result.errors]

    def _with_code(self, error: GraphQLError) -> GraphQLError:
        code = error_code(error)
        extensions: dict[str, Any] = {**(error.extensions or {}), "code": code}
        details = getattr(error.original_error, "details", None)
        if isinstance(details, dict) and code not in (INTERNAL, UNAVAILABLE):
            extensions.update(details)
        message = error.message
        if code == UNAVAILABLE:
            log.warning("store unreachable", extra={"error": type(error.original_error).__name__})
            reachable = not isinstance(error.original_error, ConnectionFailure)
            message = STORE_TOO_SLOW if reachable else STORE_UNREACHABLE
        if code == INTERNAL:
            log.error("internal error", exc_info=error.original_error)
            if self._in_production():
                message = "Internal server error"
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=error.original_error,
            extensions=extensions,
        )

    def _in_production(self) -> bool:
        context = self.execution_context.context
        if isinstance(context, dict):  # a schema executed without a service's context
            return bool(context.get("production"))
        return bool(getattr(context, "production", False))
