import uuid

from kit.mongo.lookups import ONE_BY_ONE, by_ids
from kit.testing import ServiceUnderTest


async def test_documents_are_found_by_id_one_by_one_when_few_and_in_one_scan_when_many(
    service: ServiceUnderTest,
) -> None:
    collection = service.app.state.runtime.db[f"lookups_{uuid.uuid4().hex[:8]}"]
    await collection.insert_many([{"_id": f"d-{n}", "n": n} for n in range(ONE_BY_ONE + 8)])

    few = await by_ids(collection, ["d-1", "d-1", "nobody", "d-2"], {"n": 0})
    many = await by_ids(collection, [f"d-{n}" for n in range(ONE_BY_ONE + 10)])

    assert few == [{"_id": "d-1"}, {"_id": "d-2"}]
    assert sorted(d["n"] for d in many) == list(range(ONE_BY_ONE + 8))
    await collection.drop()
