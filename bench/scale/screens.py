"""What bench/scale times once the data is in: the README tour's six screens (as the tour's
CITY_COMMITTEE user over the demo's city: since the 2025 step, Ba Đình's wards are under it,
not the district's), and the screens a ward and the city
open on the synthetic Hà Nội (as its ward committee, and as a standing committee over the
city committee)."""

import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

README = Path(__file__).resolve().parents[2] / "README.md"
PERIOD = "2025"


@dataclass(frozen=True)
class Screen:
    name: str
    query: str
    caller: str  # "tour", "ward" or "city": whose token it runs with
    needs: tuple[str, ...] = ()  # the variables it takes, looked up once the data is in


def tour_screens() -> list[Screen]:
    tour = README.read_text().split("## A guided tour of the demo", 1)[1]
    queries = re.findall(r"```graphql\n(.*?)```", tour, flags=re.DOTALL)
    return [Screen(f"tour {n}", query, "tour") for n, query in enumerate(queries[:6], 1)]


SCALE_SCREENS = [
    Screen(
        "cell member list (50)",
        """query ($cell: ID!) { members(organisationId: $cell, first: 50) {
             totalCount edges { node { id fullName cardNumber standing } } } }""",
        "ward",
        ("cell",),
    ),
    Screen(
        "ward memberCount",
        "query ($ward: ID!) { organisation(id: $ward) { memberCount } }",
        "ward",
        ("ward",),
    ),
    Screen(
        "ward evaluationSummary",
        f"""query ($ward: ID!) {{ organisation(id: $ward) {{ evaluationSummary(period: "{PERIOD}")
             {{ evaluated finalised proposalsWaiting missingWorkplaceAssessmentCount
                ratings {{ rating count share }} }} }} }}""",
        "ward",
        ("ward",),
    ),
    Screen(
        "city evaluationSummary",
        f"""query ($city: ID!) {{ organisation(id: $city) {{ evaluationSummary(period: "{PERIOD}")
             {{ evaluated finalised proposalsWaiting missingWorkplaceAssessmentCount
                ratings {{ rating count share }} }} }} }}""",
        "city",
        ("city",),
    ),
    Screen(
        "member search, ward",
        """{ members(search: "nguyen van", first: 20) {
             totalCount edges { node { fullName organisation { name } } } } }""",
        "ward",
    ),
    Screen(
        "member search, city-wide",
        """{ members(search: "nguyen van", first: 20) {
             totalCount edges { node { fullName organisation { name } } } } }""",
        "city",
    ),
]


@dataclass
class Timing:
    screen: str
    samples: list[float] = field(default_factory=list)
    answer: str = ""

    def percentile(self, share: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        return self.percentile(0.99)


class ScreenFailed(RuntimeError):
    pass


async def time_screen(
    client: httpx.AsyncClient,
    url: str,
    screen: Screen,
    variables: dict[str, str],
    repeat: int,
) -> Timing:
    """`repeat` sequential requests after one warm-up, each checked for errors (ms)."""
    wanted = {name: variables[name] for name in screen.needs}
    timing = Timing(screen.name)
    for attempt in range(repeat + 1):
        started = time.perf_counter()
        response = await client.post(url, json={"query": screen.query, "variables": wanted})
        elapsed = (time.perf_counter() - started) * 1000
        body: dict[str, Any] = response.json()
        if body.get("errors"):
            raise ScreenFailed(f"{screen.name}: {body['errors']}")
        if attempt:
            timing.samples.append(elapsed)
        else:
            timing.answer = summary_of(body["data"])
    return timing


def summary_of(data: dict[str, Any]) -> str:
    """A few figures from an answer, to show the screen found something."""
    found = re.findall(r"'(totalCount|memberCount|evaluated|totalCases)': (\d+)", str(data))
    return ", ".join(f"{name} {value}" for name, value in found[:2])
