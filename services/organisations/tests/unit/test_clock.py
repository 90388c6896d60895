from datetime import date

from kit.clock import Clock
from kit.identity import Grant, Principal, Role
from organisations.schema import schema

from services.organisations.tests.unit.fakes import Services, request_context

SET_TODAY = 'mutation { setToday(today: "2019-09-16") }'
DISTRICT = Principal("u-bd", "Ban Thường vụ Quận ủy", (Grant(Role.DISTRICT_STANDING, "bd"),))
WARD = Principal("u-gv", "Đảng ủy phường Giảng Võ", (Grant(Role.WARD_COMMITTEE, "gv"),))


async def set_today(clock: Clock, principal: Principal, production: bool) -> str | None:
    services = Services()
    services.clock = clock
    context = request_context(services, principal, production)
    result = await schema.execute(SET_TODAY, context_value=context)
    if result.errors is None:
        return None
    assert result.errors[0].extensions is not None
    code: str = result.errors[0].extensions["code"]
    return code


async def test_set_today_is_refused_in_production() -> None:
    clock = Clock()
    assert await set_today(clock, DISTRICT, production=True) == "FORBIDDEN"
    assert clock.fixed_today is None


async def test_only_a_district_standing_committee_sets_today() -> None:
    clock = Clock()
    assert await set_today(clock, WARD, production=False) == "FORBIDDEN"
    assert clock.fixed_today is None


def test_a_set_day_keeps_the_time_of_day_in_viet_nam() -> None:
    clock = Clock(date(2019, 9, 16))
    assert clock.today() == date(2019, 9, 16)
    assert clock.now().utcoffset() is not None
    assert clock.now().utcoffset().total_seconds() == 7 * 3600  # type: ignore[union-attr]
    clock.set_today(None)
    assert clock.today() != date(2019, 9, 16)
