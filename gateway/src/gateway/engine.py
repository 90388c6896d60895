"""Answers one GraphQL request: parse, validate, check limits, plan (cached), fetch, shape."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from cachetools import LRUCache
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.values import get_variable_values
from graphql.validation import NoSchemaIntrospectionCustomRule

from gateway.coalescing import Joining, names, naming, shared_headers
from gateway.executor import execute_plan
from gateway.limits import LimitExceeded, OperationLimits, check_limits
from gateway.plan import Fetch, QueryPlan
from gateway.planner import PlanningError, plan_operation
from gateway.response import ResponseShaper
from gateway.subgraph_client import SubgraphClient
from gateway.supergraph import Supergraph

JSON = dict[str, Any]

_SUGGESTION = re.compile(r"\s*Did you mean .*\?$", re.DOTALL)


@dataclass
class Answer:
    status: int
    body: JSON
    # the body as JSON, once written: the requests an answer was coalesced for share it
    encoded: bytes | None = None

    def json(self) -> bytes:
        if self.encoded is None:
            self.encoded = orjson.dumps(self.body)
        return self.encoded


@dataclass(frozen=True)
class EngineOptions:
    limits: OperationLimits = field(default_factory=OperationLimits)
    introspection: bool = True
    mask_subgraph_errors: bool = False
    hide_suggestions: bool = False  # "Did you mean …?" would name fields introspection hides
    plan_cache_size: int = 1000
    # a caller's identical queries of one turn of the event loop executed once (coalescing.py)
    coalesce: bool = False


@dataclass
class _Prepared:
    document: DocumentNode
    fragments: dict[str, FragmentDefinitionNode]
    operations: dict[str | None, OperationDefinitionNode]
    plans: dict[str | None, tuple[QueryPlan, ResponseShaper]] = field(default_factory=dict)


def _error(code: str, message: str, status: int = 400) -> Answer:
    return Answer(status, {"errors": [{"message": message, "extensions": {"code": code}}]})


class Engine:
    def __init__(self, supergraph: Supergraph, client: SubgraphClient, options: EngineOptions):
        self.supergraph = supergraph
        self.client = client
        self.options = options
        self.documents: LRUCache[str, _Prepared] = LRUCache(options.plan_cache_size)
        rules = list(specified_rules)
        if not options.introspection:
            rules.append(NoSchemaIntrospectionCustomRule)
        self.rules = rules
        self.joining: Joining[Answer] | None = Joining() if options.coalesce else None

    def prepare(self, query: str) -> _Prepared | Answer:
        prepared = self.documents.get(query)
        if prepared is not None:
            return prepared
        try:
            document = parse(query, max_tokens=self.options.limits.max_tokens)
        except GraphQLError as error:
            return _parse_error(error)
        errors = validate(self.supergraph.api_schema, document, self.rules)
        if errors:
            formatted = [_formatted(e, "GRAPHQL_VALIDATION_FAILED") for e in errors]
            if self.options.hide_suggestions:
                for entry in formatted:
                    entry["message"] = _SUGGESTION.sub("", entry["message"])
            return Answer(400, {"errors": formatted})
        fragments: dict[str, FragmentDefinitionNode] = {}
        operations: dict[str | None, OperationDefinitionNode] = {}
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                fragments[definition.name.value] = definition
            elif isinstance(definition, OperationDefinitionNode):
                operations[definition.name.value if definition.name else None] = definition
        for operation in operations.values():
            try:
                check_limits(self.options.limits, operation, fragments)
            except LimitExceeded as error:
                return _error("OPERATION_LIMIT_EXCEEDED", str(error))
        prepared = _Prepared(document, fragments, operations)
        self.documents[query] = prepared
        return prepared

    def plan_for(
        self, prepared: _Prepared, operation_name: str | None
    ) -> tuple[OperationDefinitionNode, QueryPlan, ResponseShaper] | Answer:
        operation = _pick_operation(prepared, operation_name)
        if isinstance(operation, Answer):
            return operation
        planned = prepared.plans.get(operation_name)
        if planned is None:
            if operation.operation == OperationType.SUBSCRIPTION:
                return _error("BAD_REQUEST", "subscriptions are not supported by this gateway")
            try:
                plan = plan_operation(self.supergraph, operation, prepared.fragments)
            except PlanningError as error:
                # The operation is valid but no plan answers it: an error of the request,
                # not a failure of the gateway (an HTTP 500).
                return _error("QUERY_PLANNING_FAILED", str(error), status=200)
            shaper = ResponseShaper(
                self.supergraph.api_schema, prepared.document, operation, prepared.fragments
            )
            planned = prepared.plans[operation_name] = (plan, shaper)
        return operation, *planned

    async def run(
        self,
        query: str,
        variables: JSON | None,
        operation_name: str | None,
        headers: Mapping[str, str],
        include_plan: bool = False,
        allow_mutations: bool = True,
        deadline: float | None = None,
    ) -> Answer:
        """`deadline` (time.monotonic()): when the plan's last fetch must be done by."""
        prepared = self.prepare(query)
        if isinstance(prepared, Answer):
            return prepared
        planned = self.plan_for(prepared, operation_name)
        if isinstance(planned, Answer):
            return planned
        operation, plan, shaper = planned
        if operation.operation == OperationType.MUTATION and not allow_mutations:
            return _error("BAD_REQUEST", "mutations cannot be sent with GET", status=405)
        variables = variables or {}
        joining = self.joining
        named = names(headers) if joining is not None else None
        if joining is None or named is None or operation.operation != OperationType.QUERY:
            return await self.execute(
                operation, plan, shaper, variables, headers, include_plan, deadline
            )
        key = (
            query,
            operation_name,
            orjson.dumps(variables),
            include_plan,
            shared_headers(headers),
        )
        # the first asker's fetches end by its deadline: the others wait for it a little longer
        timeout = (
            self.client.default_timeout if deadline is None else deadline - time.monotonic()
        ) + 1

        async def execute(everyone: list[str]) -> Answer:
            sent = headers if everyone == named else naming(headers, everyone)
            return await self.execute(
                operation, plan, shaper, variables, sent, include_plan, deadline
            )

        return await joining(key, named, timeout, execute)

    async def execute(
        self,
        operation: OperationDefinitionNode,
        plan: QueryPlan,
        shaper: ResponseShaper,
        variables: JSON,
        headers: Mapping[str, str],
        include_plan: bool,
        deadline: float | None,
    ) -> Answer:
        coerced = get_variable_values(
            self.supergraph.api_schema, operation.variable_definitions or (), variables
        )
        if isinstance(coerced, list):
            return Answer(400, {"errors": [_formatted(e, "BAD_USER_INPUT") for e in coerced]})

        async def send(fetch: Fetch, fetch_variables: JSON) -> JSON:
            return await self.client.send(fetch, fetch_variables, headers, deadline)

        outcome = await execute_plan(plan, variables, send)
        errors = outcome.errors
        if self.options.mask_subgraph_errors:
            errors = [_masked(e) for e in errors]
        body = shaper.shape(coerced, outcome.data, errors)
        if include_plan:
            body.setdefault("extensions", {})["queryPlan"] = plan.describe()
        return Answer(200, body)


def _pick_operation(
    prepared: _Prepared, operation_name: str | None
) -> OperationDefinitionNode | Answer:
    if operation_name is None:
        if len(prepared.operations) == 1:
            return next(iter(prepared.operations.values()))
        return _error(
            "BAD_REQUEST", "Must provide operation name if query contains multiple operations."
        )
    found = prepared.operations.get(operation_name)
    if found is None:
        return _error("BAD_REQUEST", f'Unknown operation named "{operation_name}".')
    return found


def _formatted(error: GraphQLError, code: str) -> JSON:
    formatted: JSON = {"message": error.message}
    if error.locations:
        formatted["locations"] = [{"line": at.line, "column": at.column} for at in error.locations]
    formatted["extensions"] = {"code": code}
    return formatted


def _parse_error(error: GraphQLError) -> Answer:
    code = "OPERATION_LIMIT_EXCEEDED" if "tokens" in error.message else "GRAPHQL_PARSE_FAILED"
    return Answer(400, {"errors": [_formatted(error, code)]})


def _masked(error: JSON) -> JSON:
    masked: JSON = {"message": "Subgraph errors redacted"}
    if "path" in error:
        masked["path"] = error["path"]
    code = (error.get("extensions") or {}).get("code")
    if code:
        masked["extensions"] = {"code": code}
    return masked
