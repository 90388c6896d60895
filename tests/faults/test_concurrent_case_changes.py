"""50 concurrent changes to one dissolution case through the gateway — plans submitted and
returned at once, each sending the case back and forth — none lost: each applied, or refused
with CONFLICT or INVALID_TRANSITION (the case had moved on); the audit trail and the events
count exactly the applied ones, and the stage is where they leave it."""

import asyncio
import json
from collections import Counter

from kit.testing import eventually

from infra.local.suite import Suite
from tests.e2e.conftest import Gateway
from tests.e2e.test_organisations_dissolution import CASE, Ward, take
from tests.faults.world import AMQP_URL, EventTally, record

CHANGES = 50
SUBMITTED = "partyorg.organisations.dissolution.plan_submitted.v1"
RETURNED = "partyorg.organisations.dissolution.plan_returned.v1"


async def test_50_concurrent_changes_to_one_case_are_each_applied_or_refused(
    suite: Suite, gateway: Gateway
) -> None:
    ward = await Ward(gateway).build()
    case_id = await eventually(ward.launch)
    assert "errors" not in await take(gateway, "RECORD_DISSEMINATION", case_id)
    async with EventTally(AMQP_URL, suite.exchange, (SUBMITTED, RETURNED)) as tally:
        steps = ["SUBMIT_PLAN" if n % 2 == 0 else "RETURN_PLAN" for n in range(CHANGES)]
        answers = await asyncio.gather(
            *(
                take(gateway, step, case_id, **({"planNumber": f"{n}-PA/ĐU"} if n % 2 == 0 else {}))
                for n, step in enumerate(steps)
            )
        )
        outcomes = Counter(
            (step, answer["errors"][0]["extensions"]["code"] if answer.get("errors") else "APPLIED")
            for step, answer in zip(steps, answers, strict=True)
        )
        assert {code for _, code in outcomes} <= {"APPLIED", "CONFLICT", "INVALID_TRANSITION"}
        submitted, returned = outcomes["SUBMIT_PLAN", "APPLIED"], outcomes["RETURN_PLAN", "APPLIED"]
        assert submitted >= 1
        assert submitted - returned in (0, 1)
        case = (await gateway.execute_ok(CASE, {"id": case_id}))["dissolutionCase"]
        trail = Counter(entry["step"] for entry in case["auditTrail"])
        assert (trail["SUBMIT_PLAN"], trail["RETURN_PLAN"]) == (submitted, returned)
        assert case["stage"] == ("PLAN_SUBMITTED" if submitted > returned else "DISSEMINATED")

        def of_the_case() -> int:
            return sum(
                1 for body in tally.bodies.values() if json.loads(body)["data"]["caseId"] == case_id
            )

        async def each_applied_told() -> None:
            assert of_the_case() == submitted + returned

        await eventually(each_applied_told, timeout=30)
        await asyncio.sleep(1)
        assert of_the_case() == submitted + returned
    print(f"\n{CHANGES} concurrent plan submissions and returns: {dict(outcomes)}")
    record(
        "50 concurrent changes to one dissolution case",
        applied=submitted + returned,
        conflict=sum(n for (_, code), n in outcomes.items() if code == "CONFLICT"),
        invalid_transition=sum(
            n for (_, code), n in outcomes.items() if code == "INVALID_TRANSITION"
        ),
        in_the_audit_trail=trail["SUBMIT_PLAN"] + trail["RETURN_PLAN"],
        events_distinct=of_the_case(),
    )
