from datetime import date

from organisations.clock import SettableClock
from organisations.identity import actor_from_headers
from organisations.schema import schema


async def test_set_today_is_refused_outside_development() -> None:
    clock = SettableClock()
    result = await schema.execute(
        'mutation { setToday(today: "2019-09-16") }',
        context_value={"clock": clock, "development": False},
    )
    assert result.errors is not None
    assert result.errors[0].extensions is not None
    assert result.errors[0].extensions["code"] == "FORBIDDEN"
    assert clock.fixed_today is None


def test_a_set_day_keeps_the_time_of_day_in_viet_nam() -> None:
    clock = SettableClock(date(2019, 9, 16))
    assert clock.today() == date(2019, 9, 16)
    assert clock.now().utcoffset() is not None
    assert clock.now().utcoffset().total_seconds() == 7 * 3600  # type: ignore[union-attr]
    clock.set_today(None)
    assert clock.today() != date(2019, 9, 16)


def test_the_actor_is_the_x_actor_header_then_the_token_then_anonymous() -> None:
    token = "Bearer e30.eyJzdWIiOiJ3YXJkLWd2IiwibmFtZSI6Ik5ndXnhu4VuIFbEg24gQW4ifQ.sig"
    assert actor_from_headers({"x-actor": "Nguy%E1%BB%85n%20V%C4%83n%20An"}) == "Nguyễn Văn An"
    assert actor_from_headers({"authorization": token}) == "Nguyễn Văn An"
    assert actor_from_headers({"authorization": "Bearer not-a-token"}) == "anonymous"
    assert actor_from_headers({}) == "anonymous"
