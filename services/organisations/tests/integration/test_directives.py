from typing import Any

from kit.testing import ServiceUnderTest, eventually

from services.organisations.tests.integration.support import EventTap

ISSUE = """
mutation ($input: IssueDirectiveInput!) {
  issueDirective(input: $input) { id number kind kindCode issuerCode issuedOn otherIssuedDates }
}
"""
EXPECTED_FORM = "<number>-<KL|KH|HD|CV|QĐ|NQ>/<issuer>, e.g. 383-CV/QU"
DIRECTIVE = """
query ($number: String!) {
  directive(number: $number) { number title basedOn { number } chain { number } }
}
"""


async def issue(service: ServiceUnderTest, **fields: Any) -> dict[str, Any]:
    return await service.execute(ISSUE, {"input": fields})


async def test_the_chain_of_383_cv_qu_runs_back_to_38_kl_tw(
    service: ServiceUnderTest, events: EventTap
) -> None:
    chain = [
        ("38-KL/TW", "Bộ Chính trị", "2018-11-13", [], []),
        ("109-KH/TU", "Ban Thường vụ Thành ủy Hà Nội", "2018-11-29", ["38-KL/TW"], []),
        (
            "14-HD/BTCTU",
            "Ban Tổ chức Thành ủy Hà Nội",
            "2019-09-05",
            ["109-KH/TU"],
            ["2019-08-20"],
        ),
        ("383-CV/QU", "Ban Thường vụ Quận ủy Ba Đình", "2019-09-05", ["14-HD/BTCTU"], []),
    ]
    for number, issuer, issued_on, based_on, other_dates in chain:
        body = await issue(
            service,
            number=number,
            issuer=issuer,
            issuedOn=issued_on,
            title=f"Văn bản {number}",
            basedOn=based_on,
            otherIssuedDates=other_dates,
        )
        assert not body.get("errors"), body
    guidance = await issue(
        service, number="14-HD/BTCTU", issuer="x", issuedOn="2019-09-05", title="x"
    )
    assert guidance["errors"][0]["extensions"]["code"] == "CONFLICT"
    found = (await service.execute_ok(DIRECTIVE, {"number": "383-cv/qu"}))["directive"]
    assert found["basedOn"] == [{"number": "14-HD/BTCTU"}]
    assert [d["number"] for d in found["chain"]] == ["14-HD/BTCTU", "109-KH/TU", "38-KL/TW"]

    async def issued_events() -> None:
        numbers = [number for number, *_ in chain]
        published = [
            e["data"]
            for e in events.of_type("directive.issued.v1")
            if e["data"]["number"] in numbers
        ]
        assert [d["number"] for d in published] == numbers
        guidance_event = published[2]
        assert guidance_event["otherIssuedDates"] == ["2019-08-20"]
        assert guidance_event["kind"] == "GUIDANCE"

    await eventually(issued_events)


async def test_a_malformed_number_is_refused_with_the_expected_form(
    service: ServiceUnderTest,
) -> None:
    body = await issue(service, number="383/QU", issuer="Quận ủy", issuedOn="2019-09-05", title="x")
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert (
        error["extensions"]["expectedForm"]
        == "<number>-<KL|KH|HD|CV|QĐ|NQ>/<issuer>, e.g. 383-CV/QU"
    )
    assert "383-CV/QU" in error["message"]
    missing = await service.execute(DIRECTIVE, {"number": "383/QU"})
    assert missing["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_directive_cannot_rest_on_one_not_recorded(service: ServiceUnderTest) -> None:
    body = await issue(
        service,
        number="9001-CV/QU",
        issuer="Quận ủy Ba Đình",
        issuedOn="2019-09-05",
        title="x",
        basedOn=["9000-HD/BTCTU"],
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    absent = await service.execute(DIRECTIVE, {"number": "9001-CV/QU"})
    assert absent["errors"][0]["extensions"]["code"] == "NOT_FOUND"
