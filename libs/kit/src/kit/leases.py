"""A lease on work that one replica of a service does at a time (the organisations service's
dissolution check): a document per work with its holder and expiry, taken or renewed with one
conditional upsert, lapsing when its holder stops renewing it."""

import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from kit.mongo import Document


def this_process() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


class Lease:
    def __init__(
        self, collection: AsyncCollection[Document], name: str, seconds: float, holder: str
    ) -> None:
        self.collection = collection
        self.name = name
        self.seconds = seconds
        self.holder = holder

    async def hold(self) -> bool:
        """Take the lease, or renew it when held here, for `seconds` from now: False while
        another holder's has not lapsed (the upsert is refused by the _id it would insert).
        Replicas' clocks are taken to agree within a small part of `seconds`."""
        now = datetime.now(UTC)
        try:
            await self.collection.update_one(
                {"_id": self.name, "$or": [{"holder": self.holder}, {"expires_at": {"$lt": now}}]},
                {
                    "$set": {
                        "holder": self.holder,
                        "expires_at": now + timedelta(seconds=self.seconds),
                    }
                },
                upsert=True,
            )
        except DuplicateKeyError:
            return False
        return True

    async def give_up(self) -> None:
        """Let another replica take the lease at once (the holder stops): its expiry passed,
        by an update (services may not delete)."""
        await self.collection.update_one(
            {"_id": self.name, "holder": self.holder}, {"$set": {"expires_at": LAPSED}}
        )


LAPSED = datetime(1970, 1, 1, tzinfo=UTC)
