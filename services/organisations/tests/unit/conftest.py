import pytest

from services.organisations.tests.unit.fakes import Services


@pytest.fixture
def services() -> Services:
    return Services()
