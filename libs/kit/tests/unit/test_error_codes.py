import logging
from datetime import date

import pytest
import strawberry
from kit.error_codes import ErrorCodes
from pymongo.errors import OperationFailure, ServerSelectionTimeoutError


class CaseNotOpen(Exception):
    code = "INVALID_TRANSITION"

    def __init__(self) -> None:
        super().__init__("The case is CLOSED; allowed next steps: none.")
        self.details = {"stage": "CLOSED"}


@strawberry.type
class Query:
    @strawberry.field
    def refused(self) -> str:
        raise CaseNotOpen()

    @strawberry.field
    def broken(self) -> str:
        raise RuntimeError("secret connection string")

    @strawberry.field
    def stored(self) -> str:
        raise ServerSelectionTimeoutError("127.0.0.1:27017: [Errno 111] Connection refused")

    @strawberry.field
    def slow_store(self) -> str:
        details = {"ok": 0, "errmsg": "[msg_find.go:344 handler.handleMaxTimeMSError]", "code": 1}
        raise OperationFailure(details["errmsg"], 1, details)

    @strawberry.field
    def bad_query(self) -> str:
        raise OperationFailure("unknown operator: $nope", 2, {"ok": 0, "code": 2})

    @strawberry.field
    def born(self, on: date) -> date:
        return on


def test_a_domain_error_carries_its_code_and_details() -> None:
    schema = strawberry.Schema(query=Query, extensions=[ErrorCodes])
    result = schema.execute_sync("{ refused }")
    assert result.errors is not None
    assert result.errors[0].extensions == {"code": "INVALID_TRANSITION", "stage": "CLOSED"}


def test_validation_errors_are_coded() -> None:
    schema = strawberry.Schema(query=Query, extensions=[ErrorCodes])
    result = schema.execute_sync("{ nothingHere }")
    assert result.errors is not None
    assert result.errors[0].extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}


def test_internal_errors_are_masked_in_production_and_shown_in_development() -> None:
    schema = strawberry.Schema(query=Query, extensions=[ErrorCodes])
    masked = schema.execute_sync("{ broken }", context_value={"production": True})
    assert masked.errors is not None
    assert masked.errors[0].message == "Internal server error"
    assert masked.errors[0].extensions == {"code": "INTERNAL_SERVER_ERROR"}
    shown = schema.execute_sync("{ broken }", context_value={"production": False})
    assert shown.errors is not None
    assert shown.errors[0].message == "secret connection string"
    assert shown.errors[0].extensions == {"code": "INTERNAL_SERVER_ERROR"}


def test_a_value_a_scalar_cannot_take_is_bad_input_and_not_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    schema = strawberry.Schema(query=Query, extensions=[ErrorCodes])
    with caplog.at_level(logging.DEBUG):
        result = schema.execute_sync(
            "query ($on: Date!) { born(on: $on) }", variable_values={"on": "19/07/1961"}
        )
    assert result.errors is not None
    assert result.errors[0].extensions == {"code": "BAD_USER_INPUT"}
    # (strawberry's own execution logger is silenced by kit.logging.configure_logging)
    assert [r for r in caplog.records if r.name == "kit.error_codes"] == []


def test_the_store_out_of_reach_is_told_plainly_as_unavailable_in_every_mode() -> None:
    schema = strawberry.Schema(query=Query, extensions=[ErrorCodes])
    for production in (True, False):
        result = schema.execute_sync("{ stored }", context_value={"production": production})
        assert result.errors is not None
        assert result.errors[0].extensions == {"code": "SERVICE_UNAVAILABLE"}
        assert result.errors[0].message.startswith("The store cannot be reached")
        assert "27017" not in result.errors[0].message


def test_the_store_too_slow_is_unavailable_without_its_code_details_or_message() -> None:
    """A driver's error has a `code` and `details` of the store's (FerretDB: a number, and Go
    source names in errmsg): none of it reaches the answer, in production or not."""
    schema = strawberry.Schema(query=Query, extensions=[ErrorCodes])
    for production in (True, False):
        result = schema.execute_sync("{ slowStore }", context_value={"production": production})
        assert result.errors is not None
        assert result.errors[0].extensions == {"code": "SERVICE_UNAVAILABLE"}
        assert result.errors[0].message.startswith("The store did not answer in time")


def test_a_driver_error_of_ours_is_internal_without_the_stores_details() -> None:
    schema = strawberry.Schema(query=Query, extensions=[ErrorCodes])
    result = schema.execute_sync("{ badQuery }", context_value={"production": True})
    assert result.errors is not None
    assert result.errors[0].extensions == {"code": "INTERNAL_SERVER_ERROR"}
    assert result.errors[0].message == "Internal server error"
