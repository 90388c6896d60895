"""A value worked out from a read model is kept until a write moves the read model's stamp on,
in this process or another (each keeps its own values and reads the shared stamp)."""

import functools

import pytest
from kit.mongo import connect, database
from kit.mongo.stamped import Stamped
from kit.settings import ServiceSettings
from kit.testing import drop_resources, isolated

pytestmark = pytest.mark.integration


class Counting:
    """Works a subtree out from the read model, counting how often it was asked to."""

    def __init__(self, tree: dict[str, list[str]]) -> None:
        self.tree = tree
        self.asked = 0

    async def under(self, root: str) -> frozenset[str]:
        self.asked += 1
        return frozenset(self.tree.get(root, []))


async def test_a_value_is_kept_until_the_stamp_moves_on_here_or_in_another_process() -> None:
    settings = isolated(ServiceSettings, service_name="stamped")
    mongo = connect(settings)
    stamps = database(mongo, settings)["stamps"]
    tree = {"ward": ["cell 1", "cell 2"]}
    here, there = Counting(tree), Counting(tree)
    kept_here: Stamped[str, frozenset[str]] = Stamped(stamps, "tree")
    kept_there: Stamped[str, frozenset[str]] = Stamped(stamps, "tree")

    first = await kept_here.get("ward", lambda: here.under("ward"))
    again = await kept_here.get("ward", lambda: here.under("ward"))
    two = frozenset({"cell 1", "cell 2"})
    assert (first, again, here.asked) == (two, two, 1)

    tree["ward"].append("cell 3")  # another process changes the read model, then the stamp
    await kept_there.moved_on()
    after = await kept_here.get("ward", lambda: here.under("ward"))
    assert (after, here.asked) == (two | {"cell 3"}, 2)
    assert await kept_here.get("ward", lambda: here.under("ward")) == after
    assert here.asked == 2

    await kept_there.get("ward", lambda: there.under("ward"))
    await kept_there.moved_on()  # its own write: its values go at once, and the others' later
    await kept_there.get("ward", lambda: there.under("ward"))
    assert there.asked == 2
    assert (await stamps.count_documents({})) == 1

    await mongo.close()
    await drop_resources(settings)


async def test_it_keeps_so_many_values_the_oldest_going_first() -> None:
    settings = isolated(ServiceSettings, service_name="stamped")
    mongo = connect(settings)
    asked: list[str] = []

    async def work_out(key: str) -> str:
        asked.append(key)
        return key.upper()

    kept: Stamped[str, str] = Stamped(database(mongo, settings)["stamps"], "tree", kept=2)
    for key in ("a", "b", "c", "b", "a"):
        assert await kept.get(key, functools.partial(work_out, key)) == key.upper()

    assert asked == ["a", "b", "c", "a"]  # "a" went first when "c" came; "b" was still kept
    await mongo.close()
    await drop_resources(settings)
