"""Every role × own scope / other scope × each operation of the authorisation table, through the
gateway onto the three services: each cell of `security_matrix.table` is one test. The world is
built once (security_world.py); writes that consume what they act on get fresh objects."""

import json
from collections import Counter
from typing import Any

import pytest
import pytest_asyncio
from kit.identity import Principal, Role

from infra.local.suite import Suite
from tests.e2e.security_gateway import RUN, PersonalRead, Reply
from tests.e2e.security_matrix import (
    KEY_LOOKUP,
    OPERATIONS,
    Cell,
    Expect,
    Kind,
    Operation,
    Scope,
    Variables,
    shared_world,
    table,
    target_ward,
)
from tests.e2e.security_world import Ward, World

CELLS = table(OPERATIONS)
PASSED: set[str] = set()
ASSESSORS = {Role.WORKPLACE_ASSESSOR, Role.INTEGRATION}


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def world(suite: Suite) -> World:
    return await shared_world(suite)


@pytest.mark.parametrize("cell", CELLS, ids=[cell.id for cell in CELLS])
async def test_the_cell_is_allowed_or_refused_as_the_table_says(world: World, cell: Cell) -> None:
    operation = cell.operation
    ward = target_ward(world, cell)
    principal = world.principal(cell.role, operation.cell)
    given = await variables_for(world, cell, ward)
    before = await read_back(world, operation, given)
    reply = await world.gateway.call(
        principal, operation.query, operation.variables(operation.query, given)
    )
    assert reply.status == 200, reply.body
    if cell.expect is Expect.ALLOWED:
        allowed(cell, reply, given, ward)
    else:
        refused(cell, reply, given, ward)
    after = await read_back(world, operation, given)
    if cell.expect is Expect.REFUSED:
        assert after == before, f"a refused {operation.name} changed {before} into {after}"
    elif operation.observable and operation.kind in (Kind.WRITE, Kind.BULK):
        assert after != before, f"an allowed {operation.name} changed nothing: {after}"
    keep_reads(cell, principal, reply, given)
    PASSED.add(cell.id)


async def variables_for(world: World, cell: Cell, ward: Ward) -> Variables:
    """Fresh objects for a write the table allows (it consumes them); the writes it refuses
    change nothing, so they share one set per operation and ward."""
    operation = cell.operation
    if cell.expect is Expect.ALLOWED or operation.kind not in (Kind.WRITE, Kind.BULK):
        return await operation.prepare(world, ward)
    key = (operation.name, ward.key)
    if key not in world.shared:
        world.shared[key] = await operation.prepare(world, ward)
    return world.shared[key]


def allowed(cell: Cell, reply: Reply, given: Variables, ward: Ward) -> None:
    operation = cell.operation
    assert not reply.errors, f"{cell.id} should be allowed: {reply.errors}"
    assert reply.data is not None and reply.data.get("r") is not None, reply.body
    answer = reply.data["r"]
    if operation.kind is Kind.LIST:
        assert str(given[operation.listed]) in json.dumps(answer), f"not listed: {answer}"
    if operation.kind is Kind.BULK:
        assert answer["recorded"] == 1, answer
    if operation.family is KEY_LOOKUP:
        assert answer == [{"memberId": given["member"], "refusal": None}], answer
    if cell.role is Role.MEMBER:  # their own records, and nobody else's
        others = [ward.mentor, ward.updatee, ward.ranked, ward.applicant.id, ward.applicant.name]
        assert not [o for o in others if o in json.dumps(answer, ensure_ascii=False)], answer


def refused(cell: Cell, reply: Reply, given: Variables, ward: Ward) -> None:
    operation = cell.operation
    answer = (reply.data or {}).get("r")
    filtered = not operation.explicit or cell.role is Role.MEMBER
    if operation.family is KEY_LOOKUP and cell.role is Role.INTEGRATION:
        # each key answered on its own: one out of scope is refused as if nobody held it
        assert not reply.errors and answer is not None, reply.body
        assert answer == [{"memberId": None, "refusal": {"code": "FORBIDDEN"}}], answer
    elif operation.kind is Kind.BULK and cell.role in ASSESSORS:
        # the bulk goes on; the item of a member out of scope is rejected as FORBIDDEN
        assert not reply.errors and answer is not None, reply.body
        assert answer["recorded"] == 0 and answer["rejected"] == 1, answer
        assert answer["items"][0]["outcome"] == "REJECTED", answer
        assert answer["items"][0]["error"]["code"] == "FORBIDDEN", answer
    elif operation.kind is Kind.LIST and filtered and not reply.errors:
        # lists never refuse for what they would contain: they leave it out (a MEMBER's list
        # of an organisation keeps only their own records)
        assert str(given[operation.listed]) not in json.dumps(answer), f"leaked: {answer}"
    else:
        assert reply.errors, f"{cell.id} should be refused: {reply.body}"
        assert reply.codes == {"FORBIDDEN"}, reply.errors
        # null where refused (or above it, when the field cannot be null), with the error there
        paths = [error.get("path") or [] for error in reply.errors]
        for field in operation.guarded or (None,):
            guarded = ["r", field] if field else ["r"]
            assert any(on_the_way(path, guarded) for path in paths), (guarded, paths)
            assert value_at(reply.data, guarded) is None, f"leaked with the refusal: {reply.data}"
    assert_nothing_of(ward, reply)


def on_the_way(path: list[str], guarded: list[str]) -> bool:
    return bool(path) and path[: len(guarded)] == guarded[: len(path)]


def value_at(data: Any, path: list[str]) -> Any:
    """The value at the path, or None when it or a field on the way is null."""
    for name in path:
        if data is None:
            return None
        data = data.get(name)
    return data


def assert_nothing_of(ward: Ward, reply: Reply) -> None:
    """No personal value of the ward's people anywhere in a refused answer."""
    text = json.dumps(reply.body, ensure_ascii=False)
    person, candidate = ward.person, ward.applicant
    for value in (person.name, person.card, person.born.isoformat(), candidate.name):
        assert value and value not in text, f"{value} leaked: {text}"


async def read_back(world: World, operation: Operation, given: Variables) -> Any:
    if not operation.snapshot:
        return None
    return (
        await world.gateway.staff(
            operation.snapshot, operation.variables(operation.snapshot, given)
        )
    )["r"]


def keep_reads(cell: Cell, principal: Principal, reply: Reply, given: Variables) -> None:
    """The personal data an answered read showed must have its access-log entry; a refused one
    must have none (checked at the end of the run)."""
    for read in cell.operation.reads:
        kept = PersonalRead(
            reply.request_id,
            principal,
            read.service,
            read.person_type,
            str(given[read.person]),
            read.fields,
        )
        (RUN.reads if cell.expect is Expect.ALLOWED else RUN.refused).append(kept)


def test_the_matrix_ran_every_cell_as_the_table_says(suite: Suite) -> None:
    counts = Counter((cell.scope, cell.expect) for cell in CELLS)
    report = "\n".join(
        [
            f"authorisation matrix: {len(CELLS)} cells, {len(OPERATIONS)} operations, "
            f"{len({op.family for op in OPERATIONS})} families of the table, 7 roles",
            f"  own scope, allowed by the table:   {counts[Scope.OWN, Expect.ALLOWED]}",
            f"  own scope, role without the right: {counts[Scope.OWN, Expect.REFUSED]}",
            f"  other scope, refused:              {counts[Scope.OTHER, Expect.REFUSED]}",
            f"  open to any caller (no scope):     {counts[Scope.ANY, Expect.ALLOWED]}"
            f" allowed, {counts[Scope.ANY, Expect.REFUSED]} refused",
            f"  passed: {len(PASSED)} of {len(CELLS)}",
        ]
    )
    print(report)
    (suite.run_dir / "security-matrix.txt").write_text(report + "\n")
    assert counts[Scope.OTHER, Expect.ALLOWED] == 0
    failed = [cell.id for cell in CELLS if cell.id not in PASSED]
    assert not failed, f"{len(failed)} cells did not pass: {failed}"
