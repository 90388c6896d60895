"""The hand-over record of a cell's member-list book in a restructuring (09-HD/BTCTW), as a
PDF: null until both sides signed it, then the decision, the sides and everyone on the book,
read back with its diacritics; each person listed logged as a personal read, a stranger
refused."""

from typing import Any

from kit.identity import Grant, Principal, Role
from kit.testing import FINDS, ServiceUnderTest
from members import consumed_events
from members_support import Ward, add_candidate, applied, errors_of, register, ward_committee
from pymongo.asynchronous.database import AsyncDatabase
from test_papers import execute_query, paper_once_there

RECORD = """
query Record($cell: ID!, $case: ID!) {
  _entities(representations: [{__typename: "Organisation", id: $cell}])
  { ... on Organisation { restructuringHandOverRecord(caseId: $case) { filename base64 } } } }
"""


async def test_a_signed_hand_over_record_lists_the_book_and_logs_each_person(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=1)
    receiving = await Ward(service, db).set_up(groups=1)
    cell = ward.residential["Tổ dân phố 1"]
    first = await register(service, cell, name="Đặng Thị Thu Hà", standing="PROBATIONARY")
    second = await register(service, cell, name="Vũ Quốc Khánh")
    candidate = await add_candidate(service, cell)
    case_id = f"hand-over-{ward.suffix}"
    reader = ward_committee(ward)
    variables = {"cell": cell, "case": case_id}
    before = await execute_query(service, RECORD, variables, reader)
    assert before["data"]["_entities"][0] == {"restructuringHandOverRecord": None}

    signed = handed_over(case_id, cell, receiving.id, members=2, candidates=1)
    await service.deliver(consumed_events.RESTRUCTURING_HANDED_OVER, signed)

    record = await paper_once_there(
        service, RECORD, variables, reader, "restructuringHandOverRecord"
    )
    assert record["filename"] == "bien-ban-ban-giao-draft.pdf"
    text = record["text"]
    for expected in (
        "BIÊN BẢN",
        "bàn giao sổ danh sách đảng viên",
        "Căn cứ Quyết định số 1234-QĐ/TU ngày 20/06/2025",
        f"về việc chuyển giao Tổ chức {cell} về Tổ chức {receiving.id}",
        f"Bên giao: Tổ chức {cell}",
        f"Bên nhận: Tổ chức {receiving.id}",
        "gồm 2 đảng viên (1 chính thức, 1 dự bị) và 1 đối tượng kết nạp đảng",
        "Đặng Thị Thu Hà",
        "Vũ Quốc Khánh",
        "Trần Thị Bình",
        "ĐẠI DIỆN BÊN GIAO",
    ):
        assert expected in text, expected
    assert "đại diện: bí thư đảng ủy phường kim mã" in text.lower()  # the giving side's signer
    entries = await db["personal_data_access"].find({"requestId": record["requestId"]}).to_list()
    assert {(e["personType"], e["personId"], tuple(e["fields"])) for e in entries} == {
        ("HandOverRecord", person, ("restructuringHandOverRecord",))
        for person in (first, second, candidate)
    }

    stranger = Principal("u-other", "Phường khác", (Grant(Role.WARD_COMMITTEE, receiving.id),))
    refused = await execute_query(service, RECORD, variables, stranger)
    assert errors_of(refused) == ["FORBIDDEN"]


async def test_a_hand_over_book_is_kept_from_where_each_member_is_counted_reading_no_member(
    service: ServiceUnderTest, db: AsyncDatabase[dict[str, Any]]
) -> None:
    ward = await Ward(service, db).set_up(groups=2)
    receiving = await Ward(service, db).set_up(groups=1)
    cells = list(ward.residential.values())
    people = [await register(service, c, name=f"Đảng viên {n}") for n, c in enumerate(cells * 2)]
    candidate = await add_candidate(service, cells[0])
    case_id = f"book-{ward.suffix}"
    signed = handed_over(case_id, ward.id, receiving.id, members=len(people), candidates=1)
    FINDS.watch(service.settings.database_name)
    try:
        await applied(db, await service.deliver(consumed_events.RESTRUCTURING_HANDED_OVER, signed))
    finally:
        FINDS.stop()

    # a city's books are all its members: their ids come from where each is counted
    assert FINDS.sent("find", "members") == 0
    book = await db["restructuring_hand_overs"].find_one({"_id": f"{case_id}:{ward.id}"})
    assert book is not None
    assert sorted(book["member_ids"]) == sorted(people)
    assert book["candidate_ids"] == [candidate]


def handed_over(
    case_id: str, organisation_id: str, receiving_id: str, members: int, candidates: int
) -> dict[str, Any]:
    """The organisations service's news that both sides signed the organisation's hand-over."""
    return {
        "caseId": case_id,
        "kind": "HAND_OVER",
        "campaignId": None,
        "sourceIds": [organisation_id],
        "receivingId": receiving_id,
        "newOrganisations": [],
        "stage": "HANDED_OVER",
        "fromStage": "DECIDED",
        "at": "2025-06-28T08:00:00+07:00",
        "actor": "Đảng ủy phường",
        "note": None,
        "decision": {
            "number": "1234-QĐ/TU",
            "signedOn": "2025-06-20",
            "signer": "Bí thư Thành ủy",
            "effectiveOn": "2025-07-01",
        },
        "effectiveOn": "2025-07-01",
        "handover": {
            "organisationId": organisation_id,
            "signedOn": "2025-06-28",
            "giverSigner": "Bí thư Đảng ủy phường Kim Mã",
            "receiverSigner": "Bí thư Đảng ủy phường Giảng Võ",
            "memberCount": members,
            "candidateCount": candidates,
        },
    }
