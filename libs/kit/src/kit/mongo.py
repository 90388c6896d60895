from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from kit.settings import ServiceSettings

Document = dict[str, Any]


def connect(settings: ServiceSettings) -> AsyncMongoClient[Document]:
    """A pooled client; PyMongo connects lazily, so this never blocks start-up."""
    return AsyncMongoClient(
        settings.mongodb_url,
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        appname=settings.service_name,
    )


def database(
    client: AsyncMongoClient[Document], settings: ServiceSettings
) -> AsyncDatabase[Document]:
    return client[settings.database_name]


async def is_reachable(client: AsyncMongoClient[Document]) -> bool:
    try:
        await client.admin.command("ping")
    except Exception:
        return False
    return True
