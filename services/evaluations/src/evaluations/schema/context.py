"""What each resolver finds in its context: the use cases, who is asking (the principal the
gateway vouched for), the access log, and the request's guard."""

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
from kit.access_log import AccessLog
from kit.identity import Principal
from strawberry.types import Info

from evaluations.schema.guard import Guard
from evaluations.service import UseCases

Context = Info[dict[str, Any], None]
Resolver = TypeVar("Resolver", bound=Callable[..., Any])


def field(description: str) -> Callable[[Resolver], Resolver]:
    decorate: Callable[[Resolver], Resolver] = strawberry.field(description=description)
    return decorate


def mutation(description: str) -> Callable[[Resolver], Resolver]:
    decorate: Callable[[Resolver], Resolver] = strawberry.mutation(description=description)
    return decorate


def use_cases_of(info: Context) -> UseCases:
    use_cases: UseCases = info.context["use_cases"]
    return use_cases


def actor_of(info: Context) -> str:
    """Who is asking, as the gateway forwarded it: the principal's display name."""
    actor: str = info.context["actor"]
    return actor


def principal_of(info: Context) -> Principal:
    principal: Principal = info.context["principal"]
    return principal


def access_log_of(info: Context) -> AccessLog:
    access_log: AccessLog = info.context["access_log"]
    return access_log


def guard_of(info: Context) -> Guard:
    """The caller's rights, one guard (and one set of batched lookups) per request."""
    guard = info.context.get("guard")
    if not isinstance(guard, Guard):
        use_cases = use_cases_of(info)
        guard = Guard(principal_of(info), use_cases.roster, use_cases.evaluations)
        info.context["guard"] = guard
    return guard
