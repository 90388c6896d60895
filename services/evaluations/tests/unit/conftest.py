"""The use cases over in-memory fakes of the repositories (fakes.py)."""

from datetime import UTC, datetime

import pytest
from evaluations.domain import Policy
from evaluations.main import use_cases
from evaluations.service import UseCases

from services.evaluations.tests.unit.fakes import Fakes


@pytest.fixture
def fakes() -> Fakes:
    return Fakes()


@pytest.fixture
def service(fakes: Fakes) -> UseCases:
    """The use cases as main.py wires them, over the fakes, on 20 December 2019."""
    return use_cases(fakes, Policy(), clock=lambda: datetime(2019, 12, 20, 9, 0, tzinfo=UTC))
