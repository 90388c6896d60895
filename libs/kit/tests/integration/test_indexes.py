"""Declared indexes on the real FerretDB: unique ones refuse a duplicate, a start-up again
changes nothing, an index an older version named otherwise is replaced."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from kit.access_log import AccessLog
from kit.index_coverage import read_log, uncovered_queries
from kit.mongo import Document, connect
from kit.mongo.indexes import Index, create_indexes
from kit.query_log import QUERY_LOG
from kit.settings import ServiceSettings
from kit.testing import drop_resources, isolated
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

pytestmark = pytest.mark.integration

CARDS = (
    Index("card_unique", ("card_number",), unique=True),
    Index("cell_by_name", ("organisation_id", "sort_name", "_id")),
    Index("newest", ("-at",)),
)


@pytest_asyncio.fixture(loop_scope="session")
async def cards() -> AsyncIterator[AsyncCollection[Document]]:
    settings = isolated(ServiceSettings, service_name="indexes")
    mongo = connect(settings)
    yield mongo[settings.database_name]["cards"]
    await mongo.close()
    await drop_resources(settings)


async def names_and_keys(collection: AsyncCollection[Document]) -> dict[str, list[object]]:
    found = [index async for index in await collection.list_indexes()]
    return {index["name"]: list(index["key"].items()) for index in found}


async def test_a_unique_index_refuses_a_second_document_with_the_same_value(
    cards: AsyncCollection[Document],
) -> None:
    await create_indexes(cards, CARDS)
    await cards.insert_one({"_id": "m-1", "card_number": "01.001"})
    with pytest.raises(DuplicateKeyError):
        await cards.insert_one({"_id": "m-2", "card_number": "01.001"})
    assert await cards.count_documents({}) == 1


async def test_creating_them_again_keeps_them_and_replaces_an_older_differing_one(
    cards: AsyncCollection[Document],
) -> None:
    await cards.drop()
    await cards.create_index("card_number")  # an older version's: another name, not unique
    await create_indexes(cards, CARDS)
    await create_indexes(cards, CARDS)  # the next start-up
    assert await names_and_keys(cards) == {
        "_id_": [("_id", 1)],
        "card_unique": [("card_number", 1)],
        "cell_by_name": [("organisation_id", 1), ("sort_name", 1), ("_id", 1)],
        "newest": [("at", -1)],
    }
    unique = [i async for i in await cards.list_indexes() if i["name"] == "card_unique"]
    assert unique[0].get("unique") is True


async def test_the_query_log_names_a_query_no_index_covers_until_its_index_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_file = tmp_path / "queries.jsonl"
    monkeypatch.setenv(QUERY_LOG, str(log_file))
    settings = isolated(ServiceSettings, service_name="querylog")
    mongo = connect(settings)
    access_log = AccessLog(mongo[settings.database_name], settings.service_name)
    try:
        await access_log.find(subject="u-7A0F3C-00042")
        [finding] = uncovered_queries(read_log(log_file))
        assert (finding.service, finding.collection, finding.query) == (
            "querylog",
            "personal_data_access",
            "{subject $eq} sort [at -1]",
        )
        assert finding.origins[0].startswith("kit/access_log.py:")
        assert "7A0F3C" not in log_file.read_text()

        await access_log.create_indexes()
        await access_log.find(subject="u-7A0F3C-00042")
        assert uncovered_queries(read_log(log_file)) == []
    finally:
        await mongo.close()
        await drop_resources(settings)
