"""A dissolved cell end to end through the gateway: the bulk steps against one call per transfer.

    uv run python bench/dissolution/run.py [--members 1000] [--baseline-members 100]

Starts the whole suite on free ports (as tests/e2e do: databases, an exchange and keys of its
own, against the local FerretDB and RabbitMQ), builds a ward with an agency cell and 14
residential cells, imports the cell's members (not timed), then times from the dissolution
decision: every transfer visible → the introduction letters → all received → the evaluations
roster moved, and the case CLOSED (those two awaited side by side). The bulk run issues the
letters with one `issueIntroductions` and receives with one `receiveTransfers`; the baseline,
on its own cell of `--baseline-members`, calls `issueIntroduction` and `receiveTransfer` once
per transfer, one after the other, as a screen without the bulk mutations would
(`--baseline-members 0`: none). Prints seconds per step, per member, and the ratio.

    uv run python bench/dissolution/run.py --before /path/to/a/checkout [--rounds 2]

compares this checkout's bulk run with another's (its own `.venv`, e.g. a worktree of main),
alternated in one run so that the machine's load falls on both alike, and counts the store
statements each service sends from the decision to CLOSED (`--statements`: a command listener
put in each service, see statements/sitecustomize.py).
"""

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from kit.testing import STAFF, delete_from_broker
from pymongo import AsyncMongoClient

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # infra.local.suite, as tests do
from bench.alternation import alternate, load
from infra.local.suite import DEFAULT_PORTS, SERVICES, Suite, free_port

GROUPS = 14
PERIOD = "2019-10"
CREATE = "mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }"
IMPORT = """
mutation ($rows: [MemberImportRow!]!, $dryRun: Boolean!) {
  importMembers(input: {rows: $rows, dryRun: $dryRun}) { created rejected }
}
"""
IMPORTED_AT_ONCE = 500
ISSUE = "mutation ($input: IssueDirectiveInput!) { issueDirective(input: $input) { number } }"
LAUNCH = (
    "mutation ($input: LaunchCampaignInput!) { launchCampaign(input: $input) { cases { id } } }"
)
STEPS = [
    (
        "recordDissemination",
        "RecordDisseminationInput",
        {"heldOn": "2019-09-09", "attendeeCount": 23, "documents": ["383-CV/QU"]},
    ),
    ("submitPlan", "SubmitPlanInput", {"planNumber": "01-PA/ĐU", "planDate": "2019-09-12"}),
    ("approvePlan", "ApprovePlanInput", {"approvedOn": "2019-09-20", "opinion": "Đồng ý"}),
]
DECIDE = (
    "issueDissolutionDecision",
    "IssueDissolutionDecisionInput",
    {
        "decisionNumber": "125-QĐ/ĐU",
        "signedOn": "2019-09-27",
        "signer": "Bí thư Đảng ủy phường",
        "effectiveOn": "2019-10-01",
    },
)
ANNOUNCE = ("recordAnnouncement", "RecordAnnouncementInput", {"heldOn": "2019-10-01"})
PROGRESS = """
query ($id: ID!) {
  dissolutionCase(id: $id) { stage transferProgress { total awaitingIntroduction received } }
}
"""
TRANSFERS = "query ($id: ID!) { dissolutionCase(id: $id) { transfers { id } } }"
EVALUATED = f"""
query ($ward: ID!, $agency: ID!) {{
  ward: evaluations(organisationId: $ward, period: "{PERIOD}") {{ organisation {{ id }} }}
  agency: evaluations(organisationId: $agency, period: "{PERIOD}") {{ id }}
}}
"""
CHECKLIST = (
    "{memberRecordSheet: true, sealedMemberFile: true, partyCardOrAdmissionFile: true, "
    'lastSelfReview: true, duesPaidThrough: "2019-09"}'
)
INTRODUCE_ALL = f"""
mutation ($case: ID!) {{
  issueIntroductions(input: {{transfers: {{caseId: $case}}, letterSeries: "GGT/ĐU",
    issuedOn: "2019-10-01", checklist: {CHECKLIST}}}) {{ done refused }}
}}
"""
RECEIVE_ALL = """
mutation ($case: ID!) {
  receiveTransfers(input: {transfers: {caseId: $case}, receivedOn: "2019-10-08"}) {
    done refused
  }
}
"""
INTRODUCE_ONE = f"""
mutation ($id: ID!, $letter: String!) {{
  issueIntroduction(id: $id, letterNo: $letter, issuedOn: "2019-10-01",
    checklist: {CHECKLIST}) {{ state }}
}}
"""
RECEIVE_ONE = 'mutation ($id: ID!) { receiveTransfer(id: $id, receivedOn: "2019-10-08") { state } }'
STATEMENTS_FOLDER = Path(__file__).resolve().parent / "statements"
MILESTONES = (
    "every transfer visible",
    "letters issued",
    "all received",
    "evaluations roster moved",
    "case CLOSED",
)


class Gateway:
    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url = url
        self.client = httpx.AsyncClient(timeout=900, headers=headers)

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.client.post(self.url, json={"query": query, "variables": variables})
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(f"{body['errors']}")
        data: dict[str, Any] = body["data"]
        return data

    async def step(self, case_id: str, mutation: tuple[str, str, dict[str, Any]]) -> None:
        name, input_type, fields = mutation
        await self.execute(
            f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{ stage }} }}",
            {"input": {"caseId": case_id, **fields}},
        )


async def until(check: Callable[[], Awaitable[bool]], timeout: float = 600) -> None:
    deadline = time.perf_counter() + timeout
    while not await check():
        if time.perf_counter() > deadline:
            raise TimeoutError("gave up waiting")
        await asyncio.sleep(0.05)


@dataclass
class Cell:
    """A ward whose agency cell of `size` members is dissolved; the ids of its tree."""

    gateway: Gateway
    size: int
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:6].upper())
    ids: dict[str, str] = field(default_factory=dict)

    async def create(self, key: str, **fields: Any) -> None:
        data = await self.gateway.execute(
            CREATE, {"input": {"code": f"{self.tag}-{key}", **fields}}
        )
        self.ids[key] = data["createOrganisation"]["id"]

    async def build(self) -> None:
        await self.create("HN", name="Thành ủy Hà Nội", kind="CITY_COMMITTEE")
        await self.create("BD", name="Quận ủy", kind="DISTRICT_COMMITTEE", parentId=self.ids["HN"])
        await self.create(
            "GV", name="Đảng ủy phường", kind="WARD_COMMITTEE", parentId=self.ids["BD"]
        )
        await self.create(
            "CQ", name="Chi bộ cơ quan", kind="CELL", cellType="AGENCY", parentId=self.ids["GV"]
        )
        for n in range(1, GROUPS + 1):
            await self.create(
                f"TDP{n:02d}",
                name=f"Chi bộ tổ dân phố số {n}",
                kind="CELL",
                cellType="RESIDENTIAL",
                coverage=[f"TDP {n}"],
                parentId=self.ids["GV"],
            )

    def row(self, n: int) -> dict[str, Any]:
        return {
            "row": n,
            "cardNumber": f"{self.tag}.{n:05d}",
            "fullName": f"Đảng viên {n:05d}",
            "dateOfBirth": "1975-06-15",
            "gender": "MALE" if n % 2 else "FEMALE",
            "standing": "OFFICIAL",
            "admittedOn": "2001-02-03",
            "officialOn": "2002-02-03",
            "organisationCode": f"{self.tag}-CQ",
            "residence": {"address": "Phường", "residentialGroup": f"TDP {n % GROUPS + 1}"},
            "workplace": {"name": "UBND phường", "role": "OTHER"},
        }

    async def staff(self) -> None:
        """The members, imported IMPORTED_AT_ONCE at a time (not timed), once every service
        knows the cells; until the evaluations roster has them all."""
        rows = [self.row(n) for n in range(self.size)]
        while True:  # until the members service has heard of the new cells
            probe = await self.gateway.execute(IMPORT, {"rows": rows[:1], "dryRun": True})
            if probe["importMembers"]["rejected"] == 0:
                break
            await asyncio.sleep(0.2)
        for first in range(0, self.size, IMPORTED_AT_ONCE):
            part = rows[first : first + IMPORTED_AT_ONCE]
            done = await self.gateway.execute(IMPORT, {"rows": part, "dryRun": False})
            assert done["importMembers"]["created"] == len(part), done
        await until(self.evaluated_in_agency)

    async def evaluated_in_agency(self) -> bool:
        data = await self.gateway.execute(
            EVALUATED, {"ward": self.ids["GV"], "agency": self.ids["CQ"]}
        )
        return len(data["agency"]) == self.size

    async def roster_moved(self) -> bool:
        data = await self.gateway.execute(
            EVALUATED, {"ward": self.ids["GV"], "agency": self.ids["CQ"]}
        )
        return data["agency"] == [] and len(data["ward"]) == self.size

    async def open_case(self) -> str:
        number = f"{int(self.tag, 16)}-CV/QU"
        await self.gateway.execute(
            ISSUE,
            {
                "input": {
                    "number": number,
                    "issuer": "Ban Thường vụ Quận ủy",
                    "issuedOn": "2019-09-05",
                    "title": "Giải thể chi bộ cơ quan",
                }
            },
        )
        launched = await self.gateway.execute(
            LAUNCH,
            {
                "input": {
                    "directiveNumber": number,
                    "districtCommitteeId": self.ids["BD"],
                    "wardCommitteeIds": [self.ids["GV"]],
                    "planDeadline": "2019-09-15",
                }
            },
        )
        case_id: str = launched["launchCampaign"]["cases"][0]["id"]
        for mutation in STEPS:
            await self.gateway.step(case_id, mutation)
        return case_id

    async def progress(self, case_id: str) -> dict[str, Any]:
        data = await self.gateway.execute(PROGRESS, {"id": case_id})
        case: dict[str, Any] = data["dissolutionCase"]
        return case


async def dissolve(cell: Cell, bulk: bool, counts: "Statements | None" = None) -> list[float]:
    """Seconds from the decision to each milestone (and the statements sent meanwhile)."""
    gateway = cell.gateway
    case_id = await cell.open_case()
    if counts is not None:
        await counts.start()
    started = time.perf_counter()
    seen: list[float] = []

    def reached() -> None:
        seen.append(time.perf_counter() - started)

    await gateway.step(case_id, DECIDE)
    await gateway.step(case_id, ANNOUNCE)

    async def all_visible() -> bool:
        return (await cell.progress(case_id))["transferProgress"][
            "awaitingIntroduction"
        ] == cell.size

    await until(all_visible)
    reached()
    if bulk:
        letters = (await gateway.execute(INTRODUCE_ALL, {"case": case_id}))["issueIntroductions"]
        assert letters["done"] == cell.size, letters
        reached()
        received = (await gateway.execute(RECEIVE_ALL, {"case": case_id}))["receiveTransfers"]
        assert received["done"] == cell.size, received
        reached()
    else:
        listed = (await gateway.execute(TRANSFERS, {"id": case_id}))["dissolutionCase"]
        ids = [t["id"] for t in listed["transfers"]]
        for n, transfer_id in enumerate(ids, start=1):
            await gateway.execute(INTRODUCE_ONE, {"id": transfer_id, "letter": f"{n:02d}-GGT/ĐU"})
        reached()
        for transfer_id in ids:
            await gateway.execute(RECEIVE_ONE, {"id": transfer_id})
        reached()

    async def closed() -> bool:
        return (await cell.progress(case_id))["stage"] == "CLOSED"

    async def seconds_until(check: Callable[[], Awaitable[bool]]) -> float:
        await until(check)
        return time.perf_counter() - started

    # the case closes on the members service's word, the roster on the evaluations service's
    # own events: each is timed on its own
    seen.extend(await asyncio.gather(seconds_until(cell.roster_moved), seconds_until(closed)))
    if counts is not None:
        await counts.stop()
    return seen


class Statements:
    """The store statements each service sent between `start` and `stop`, from the files its
    listener writes (statements/sitecustomize.py)."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self.folder, self.prefix = folder, prefix
        self.before: dict[str, Counter[str]] = {}
        self.sent: dict[str, Counter[str]] = {}

    def now(self) -> dict[str, Counter[str]]:
        return {
            path.stem.removeprefix(self.prefix): Counter(json.loads(path.read_text()))
            for path in self.folder.glob(f"{self.prefix}*.json")
        }

    async def start(self) -> None:
        await asyncio.sleep(1)  # what came before is written down
        self.before = self.now()

    async def stop(self) -> None:
        await asyncio.sleep(1)
        after = self.now()
        self.sent = {s: after[s] - self.before.get(s, Counter()) for s in after}


def print_statements(sent: dict[str, Counter[str]], most: int = 6) -> None:
    """Each service's statements by kind, the most first, then the store's time on them (the
    kinds `ms …`: milliseconds summed, statements side by side overlap)."""
    for service, counted in sorted(sent.items()):
        times = Counter({k[3:]: n for k, n in counted.items() if k.startswith("ms ")})
        counts = Counter({k: n for k, n in counted.items() if not k.startswith("ms ")})
        top = ", ".join(f"{kind} {n:,}" for kind, n in counts.most_common(most))
        print(f"  {service:<14}{sum(counts.values()):>8,}  {top}")
        slow = ", ".join(f"{kind} {n / 1000:.1f}" for kind, n in times.most_common(most))
        print(f"  {'':<14}{sum(times.values()) / 1000:>7.1f}s  in the store: {slow}")


def report(size: int, bulk: list[float], baseline_size: int, baseline: list[float]) -> None:
    bulk_head, baseline_head = f"bulk, {size}", f"one by one, {baseline_size}"
    print(
        f"\n{'from the decision to':<26}{bulk_head:>14}{baseline_head:>18}"
        f"{'ms/member':>11}{'ms/member':>11}{'ratio':>8}"
    )
    print(f"{'':<26}{'s':>14}{'s':>18}{'bulk':>11}{'baseline':>11}{'':>8}")
    for name, ours, theirs in zip(MILESTONES, bulk, baseline, strict=True):
        per_ours, per_theirs = ours / size * 1000, theirs / baseline_size * 1000
        print(
            f"{name:<26}{ours:>14.2f}{theirs:>18.2f}{per_ours:>11.2f}{per_theirs:>11.2f}"
            f"{per_theirs / per_ours:>7.1f}x"
        )
    print(
        f"\nbulk: {size} members CLOSED in {bulk[-1]:.2f} s (target ≤ 5 s for 1,000); "
        f"one by one at its rate: {baseline[-1] / baseline_size * size:.1f} s for {size}"
    )


async def run(
    suite: Suite, size: int, baseline_size: int, counts: Statements | None
) -> dict[str, Any]:
    gateway = Gateway(suite.gateway_url, suite.authorization(STAFF))
    try:
        cells = [Cell(gateway, n) for n in (size, baseline_size) if n]
        for cell in cells:
            await cell.build()
        started = time.perf_counter()
        for cell in cells:
            await cell.staff()
        print(f"imported {size + baseline_size} members in {time.perf_counter() - started:.1f} s")
        bulk = await dissolve(cells[0], bulk=True, counts=counts)
        if baseline_size:
            report(size, bulk, baseline_size, await dissolve(cells[1], bulk=False))
        else:
            print("\n".join(f"{n:<26}{t:>8.2f} s" for n, t in zip(MILESTONES, bulk, strict=True)))
        if counts is not None:
            print("store statements from the decision to CLOSED, by service:")
            print_statements(counts.sent)
        return {"seconds": bulk, "statements": counts.sent if counts else {}}
    finally:
        await gateway.client.aclose()


def main(size: int, baseline_size: int, statements: bool, answer: Path | None) -> None:
    run_id = uuid.uuid4().hex[:8]
    run_dir = Path(tempfile.mkdtemp(prefix=f"partyorg-bench-{run_id}-"))
    counted: dict[str, str] = {}
    counts = None
    if statements:
        paths = (str(STATEMENTS_FOLDER), os.environ.get("PYTHONPATH"))
        counted = {
            "PARTYORG_BENCH_STATEMENTS": str(run_dir),
            "PYTHONPATH": os.pathsep.join(p for p in paths if p),
        }
        counts = Statements(run_dir, f"bench_{run_id}_")
    suite = Suite(
        ports={name: free_port() for name in DEFAULT_PORTS},
        database_prefix=f"bench_{run_id}_",
        exchange=f"bench.{run_id}",
        run_dir=run_dir,
        extra_env={
            **counted,
            "OUTBOX_POLL_SECONDS": "0.2",
            "LOG_LEVEL": "WARNING",
            # one call for a thousand transfers: more than the default 10 s per subgraph fetch
            # on a busy machine; the bench measures the time, the gateway must not cut it
            "GATEWAY_SUBGRAPH_TIMEOUT": "600",
            "GATEWAY_REQUEST_TIMEOUT": "600",
            "GATEWAY_INTERNAL_TOKEN_TTL_SECONDS": "900",
        },
    )
    amqp_url = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    mongodb_url = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/")
    try:
        suite.up()
        print(f"suite on :{suite.ports['gateway']}, logs in {suite.run_dir / 'logs'}")
        outcome = asyncio.run(run(suite, size, baseline_size, counts))
        if answer is not None:
            answer.write_text(json.dumps(outcome))
    finally:
        suite.stop()
        asyncio.run(forget(amqp_url, mongodb_url, suite))


async def forget(amqp_url: str, mongodb_url: str, suite: Suite) -> None:
    await delete_from_broker(amqp_url, suite.exchange, SERVICES)
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_url)
    for service in SERVICES:
        await client.drop_database(f"{suite.database_prefix}{service}")
    await client.close()


def compare(before: Path, size: int, rounds: int) -> None:
    """This checkout's bulk run against `before`'s, alternated, statements counted."""
    arguments = ["--members", str(size), "--baseline-members", "0", "--statements"]
    outcomes = alternate(before, __file__, arguments, rounds)
    print(f"\n{size} members, from the decision to ({rounds} rounds each, alternated; {load()})")
    print(f"{'':<26}{'before s':>18}{'after s':>18}{'ratio':>8}")
    for n, name in enumerate(MILESTONES):
        ours = [o["seconds"][n] for o in outcomes["after"]]
        theirs = [o["seconds"][n] for o in outcomes["before"]]
        print(
            f"{name:<26}{' / '.join(f'{t:.1f}' for t in theirs):>18}"
            f"{' / '.join(f'{t:.1f}' for t in ours):>18}{min(theirs) / min(ours):>7.1f}x"
        )
    print("store statements from the decision to CLOSED (first round), by service:")
    for label in ("before", "after"):
        print(f" {label}")
        sent = outcomes[label][0]["statements"]
        print_statements({s: Counter(c) for s, c in sent.items()})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--baseline-members", type=int, default=100)
    parser.add_argument("--statements", action="store_true", help="count store statements")
    parser.add_argument("--before", type=Path, help="a checkout to compare with (its .venv)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--answer", type=Path, help=argparse.SUPPRESS)  # a compared run's
    arguments = parser.parse_args()
    if arguments.before is not None:
        compare(arguments.before, arguments.members, arguments.rounds)
    else:
        main(arguments.members, arguments.baseline_members, arguments.statements, arguments.answer)
