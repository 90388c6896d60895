"""What each resolver finds in `info.context`: the kit's (the use cases, who is asking, the
access log) and the caller's rights (`access`) and the request's loaders."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

import strawberry
from kit.graphql_context import ServiceContext
from strawberry.types import Info

from evaluations.schema.access import Access
from evaluations.schema.loaders import Loaders
from evaluations.service import UseCases


@dataclass(kw_only=True, eq=False)
class EvaluationsContext(ServiceContext[UseCases]):
    @cached_property
    def access(self) -> Access:
        """The caller's rights, checked once per request (its lookups batched)."""
        return Access(self.principal, self.use_cases.roster, self.use_cases.evaluations)

    @cached_property
    def loaders(self) -> Loaders:
        """What the nested fields of a query's lists read, batched for the request."""
        return Loaders(self.use_cases)

    @cached_property
    def answer_loaders(self) -> dict[str, Loaders]:
        """A mutation's answer's loaders, by the mutation's place in the request."""
        return {}


Context = Info[EvaluationsContext, None]
Resolver = TypeVar("Resolver", bound=Callable[..., Any])


def field(description: str) -> Callable[[Resolver], Resolver]:
    decorate: Callable[[Resolver], Resolver] = strawberry.field(description=description)
    return decorate


def mutation(description: str) -> Callable[[Resolver], Resolver]:
    decorate: Callable[[Resolver], Resolver] = strawberry.mutation(description=description)
    return decorate
