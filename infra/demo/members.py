"""The Ba Đình 2019 demo, members part: who is on the list of each cell.

Every ward's agency cell has its cadres, civil servants and non-specialised workers
[cán bộ, công chức, người hoạt động không chuyên trách] of the ward; every residential cell
has a few members living in the residential group [tổ dân phố] it covers. Giảng Võ's agency
cell has 20 members (2 of them on probation) and 3 admission candidates, living across its
14 residential groups — as on 01/10/2019 — so the dissolution proposes a residential cell for
every one of them.

Card numbers are stable (01.<ward><cell><n>), candidates are found by name: running the demo
twice adds nothing. Cells are found by the organisations demo's codes (HN-BD-<W>-CQ,
HN-BD-<W>-TDP<NN>, covering "TDP <N>").
"""

import asyncio
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from infra.demo.client import DemoFailed, DemoGateway
from infra.demo.organisations import WARDS, residential_cell_count

GIANG_VO_MEMBERS = 20
OTHER_AGENCY_MEMBERS = 8
RESIDENTIAL_MEMBERS = 3

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = {"MALE": ["Văn", "Đức", "Minh", "Quang", "Hữu"], "FEMALE": ["Thị", "Thu", "Ngọc", "Thanh"]}
GIVEN = {
    "MALE": ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Sơn", "Tuấn"],
    "FEMALE": ["Anh", "Chi", "Dung", "Hà", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Mai", "Thảo"],
}
STREETS = {
    "GV": "phố Giảng Võ",
    "KM": "phố Kim Mã",
    "NK": "phố Nguyễn Chí Thanh",
    "TC": "phố Thành Công",
    "CV": "phố Nguyễn Văn Ngọc",
    "DB": "phố Điện Biên Phủ",
    "DC": "phố Đội Cấn",
    "LG": "phố Liễu Giai",
    "NH": "phố Hoàng Hoa Thám",
    "NTT": "phố Nguyễn Trung Trực",
    "PX": "phố Phúc Xá",
    "QT": "phố Quán Thánh",
    "TB": "phố Trúc Bạch",
    "VP": "phố Vĩnh Phúc",
}
WARD_WORKPLACES = [
    ("Đảng ủy phường {ward}", "CADRE"),
    ("UBND phường {ward}", "CADRE"),
    ("UBND phường {ward}", "CIVIL_SERVANT"),
    ("UBND phường {ward}", "CIVIL_SERVANT"),
    ("Ủy ban MTTQ phường {ward}", "CADRE"),
    ("UBND phường {ward}", "NON_SPECIALISED"),
    ("Hội Cựu chiến binh phường {ward}", "NON_SPECIALISED"),
]

MEMBERS = """
query ($after: String) {
  members(first: 500, after: $after) {
    nodes { cardNumber }
    pageInfo { hasNextPage endCursor }
  }
}
"""
REGISTER = "mutation ($input: RegisterMemberInput!) { registerMember(input: $input) { id } }"
CANDIDATES = """
query ($search: String!) { candidates(search: $search) { id fullName mentors { id } } }
"""
ADD_CANDIDATE = "mutation ($input: AddCandidateInput!) { addCandidate(input: $input) { id } }"
ADVANCE = """
mutation ($id: ID!, $stage: CandidateStage!, $on: Date!) {
  advanceCandidate(id: $id, stage: $stage, on: $on) { stage }
}
"""
ASSIGN_MENTOR = """
mutation ($candidate: ID!, $mentor: ID!) {
  assignMentor(candidateId: $candidate, memberId: $mentor) { id }
}
"""
BY_CARD = "query ($card: String!) { memberByCard(cardNumber: $card) { id } }"


@dataclass(frozen=True)
class Person:
    card_number: str
    full_name: str
    gender: str
    date_of_birth: str
    house: int


def person(ward_index: int, cell_index: int, n: int) -> Person:
    seed = ward_index * 101 + cell_index * 17 + n * 7
    gender = "FEMALE" if (seed + n) % 2 else "MALE"
    name = " ".join(
        [
            FAMILY[seed % len(FAMILY)],
            MIDDLE[gender][seed % len(MIDDLE[gender])],
            GIVEN[gender][(seed // 3 + n) % len(GIVEN[gender])],
        ]
    )
    born = f"{1962 + seed % 33}-{1 + seed % 12:02d}-{1 + seed % 27:02d}"
    return Person(
        card_number=f"01.{ward_index:02d}{cell_index:02d}{n:02d}",
        full_name=name,
        gender=gender,
        date_of_birth=born,
        house=1 + seed % 120,
    )


def membership(p: Person, ward: str, group: int, probationary: bool) -> dict[str, Any]:
    admitted_year = int(p.date_of_birth[:4]) + 24
    fields: dict[str, Any] = {
        "cardNumber": p.card_number,
        "fullName": p.full_name,
        "dateOfBirth": p.date_of_birth,
        "gender": p.gender,
        "residence": {
            "address": f"Số {p.house}, {STREETS[ward]}, phường {WARDS[ward]}, Ba Đình, Hà Nội",
            "residentialGroup": f"TDP {group}",
        },
    }
    if probationary:
        # decided 15/1/2019, the ceremony held within its 30 working days: on probation
        # until 1/2/2020
        return fields | {
            "standing": "PROBATIONARY",
            "admittedOn": "2019-01-15",
            "admissionCeremonyOn": "2019-02-01",
        }
    admitted_on = f"{min(admitted_year, 2016)}-{p.date_of_birth[5:]}"
    official_on = f"{min(admitted_year, 2016) + 1}-{p.date_of_birth[5:]}"
    return fields | {"standing": "OFFICIAL", "admittedOn": admitted_on, "officialOn": official_on}


def agency_members(ward: str, ward_index: int) -> Iterator[dict[str, Any]]:
    count = GIANG_VO_MEMBERS if ward == "GV" else OTHER_AGENCY_MEMBERS
    groups = residential_cell_count(ward)
    for n in range(1, count + 1):
        p = person(ward_index, 0, n)
        workplace, role = WARD_WORKPLACES[n % len(WARD_WORKPLACES)]
        probationary = ward == "GV" and n > GIANG_VO_MEMBERS - 2
        yield membership(p, ward, (n - 1) % groups + 1, probationary) | {
            "workplace": {"name": workplace.format(ward=WARDS[ward]), "role": role}
        }


def residential_members(ward: str, ward_index: int, cell: int) -> Iterator[dict[str, Any]]:
    for n in range(1, RESIDENTIAL_MEMBERS + 1):
        yield membership(person(ward_index, cell, n), ward, cell, probationary=False)


GIANG_VO_CANDIDATES = [
    # name, gender, born, residential group, stage reached, mentor (n of the agency cell)
    ("Lương Thị Thu Trang", "FEMALE", "1993-04-12", 12, "SOURCE", 3),
    ("Tạ Quang Huy", "MALE", "1991-11-03", 13, "AWARENESS_TRAINED", 4),
    ("Kiều Ngọc Ánh", "FEMALE", "1995-07-21", 14, "SPONSORED", 5),
]
STAGE_DATES = {"AWARENESS_TRAINED": "2019-06-20", "SPONSORED": "2019-08-15"}
STAGES_UP_TO = {
    "SOURCE": [],
    "AWARENESS_TRAINED": ["AWARENESS_TRAINED"],
    "SPONSORED": ["AWARENESS_TRAINED", "SPONSORED"],
}


async def active_cells(gateway: DemoGateway, codes: list[str]) -> dict[str, str | None]:
    """Each cell's id, or None once it is dissolved (its members have moved on); one query."""
    aliases = " ".join(
        f'c{n}: organisationByCode(code: "{code}") {{ id status }}' for n, code in enumerate(codes)
    )
    data = await gateway.execute(f"{{ {aliases} }}")
    cells: dict[str, str | None] = {}
    for n, code in enumerate(codes):
        found = data[f"c{n}"]
        if not found:
            raise DemoFailed(f"no organisation {code}: load the organisations demo first")
        cells[code] = str(found["id"]) if found["status"] == "ACTIVE" else None
    return cells


async def registered_cards(gateway: DemoGateway) -> set[str]:
    cards: set[str] = set()
    after = None
    while True:
        page = (await gateway.execute(MEMBERS, {"after": after}))["members"]
        cards |= {node["cardNumber"] for node in page["nodes"]}
        if not page["pageInfo"]["hasNextPage"]:
            return cards
        after = page["pageInfo"]["endCursor"]


async def register(gateway: DemoGateway, fields: dict[str, Any], organisation_id: str) -> None:
    """Register, waiting until the members service has heard of the cell (through events)."""

    async def registered() -> bool:
        await gateway.execute(REGISTER, {"input": fields | {"organisationId": organisation_id}})
        return True

    await gateway.eventually(registered, timeout=60)


async def register_missing(
    gateway: DemoGateway,
    people: Iterable[dict[str, Any]],
    organisation_id: str,
    cards: set[str],
) -> None:
    """A cell's people not registered yet, registered together."""
    missing = [fields for fields in people if fields["cardNumber"] not in cards]
    await asyncio.gather(*(register(gateway, fields, organisation_id) for fields in missing))


async def assign_mentor(gateway: DemoGateway, candidate_id: str, mentor_card: str) -> None:
    mentor_id = (await gateway.execute(BY_CARD, {"card": mentor_card}))["memberByCard"]["id"]
    await gateway.execute(ASSIGN_MENTOR, {"candidate": candidate_id, "mentor": mentor_id})


async def load_candidates(gateway: DemoGateway, agency_id: str | None, ward_index: int) -> None:
    """Giảng Võ's three candidates in its agency cell (while it is active), each with a mentor."""
    for name, gender, born, group, stage, mentor in GIANG_VO_CANDIDATES:
        mentor_card = person(ward_index, 0, mentor).card_number
        found = (await gateway.execute(CANDIDATES, {"search": name}))["candidates"]
        if known := [c for c in found if c["fullName"] == name]:
            if not known[0]["mentors"]:  # re-homed by a release that did not keep mentors
                await assign_mentor(gateway, known[0]["id"], mentor_card)
            continue
        if agency_id is None:
            continue
        added = await gateway.execute(
            ADD_CANDIDATE,
            {
                "input": {
                    "fullName": name,
                    "dateOfBirth": born,
                    "gender": gender,
                    "organisationId": agency_id,
                    "on": "2019-03-01",
                    "residence": {
                        "address": f"Ngõ {group * 3}, {STREETS['GV']}, phường Giảng Võ",
                        "residentialGroup": f"TDP {group}",
                    },
                    "workplace": {"name": "UBND phường Giảng Võ", "role": "NON_SPECIALISED"},
                }
            },
        )
        candidate_id = added["addCandidate"]["id"]
        await assign_mentor(gateway, candidate_id, mentor_card)
        for next_stage in STAGES_UP_TO[stage]:
            await gateway.execute(
                ADVANCE, {"id": candidate_id, "stage": next_stage, "on": STAGE_DATES[next_stage]}
            )


async def load(gateway: DemoGateway) -> None:
    cards = await registered_cards(gateway)
    for ward_index, ward in enumerate(WARDS, start=1):
        residential = range(1, residential_cell_count(ward) + 1)
        codes = [f"HN-BD-{ward}-CQ"] + [f"HN-BD-{ward}-TDP{cell:02d}" for cell in residential]
        cells = await active_cells(gateway, codes)
        agency_id = cells[codes[0]]
        if agency_id is not None:
            await register_missing(gateway, agency_members(ward, ward_index), agency_id, cards)
        if ward == "GV":  # after the dissolution too: its candidates keep their mentors
            await load_candidates(gateway, agency_id, ward_index)
        for cell, code in zip(residential, codes[1:], strict=True):
            residential_id = cells[code]
            if residential_id is not None:
                people = residential_members(ward, ward_index, cell)
                await register_missing(gateway, people, residential_id, cards)
