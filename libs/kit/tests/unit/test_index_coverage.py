"""The rule every recorded query is checked by, and the shapes the query log keeps."""

import json
from typing import Any

from kit.index_coverage import Conjunction, DeclaredIndex, covered, uncovered_queries
from kit.query_log import filter_shape, index_records, queries_of


def index(*fields: str, sparse: bool = False) -> DeclaredIndex:
    keys = tuple((f[1:], -1) if f.startswith("-") else (f, 1) for f in fields)
    return DeclaredIndex("_".join(fields), keys, sparse=sparse)


def is_covered(
    criteria: dict[str, Any], sort: list[tuple[str, int]], *indexes: DeclaredIndex
) -> bool:
    return covered(Conjunction.of(filter_shape(criteria)), sort, indexes)


BY_CELL = index("organisation_id", "sort_name", "_id", "search_key")


def test_the_shape_keeps_fields_and_operators_and_no_value() -> None:
    criteria = {
        "organisation_id": "cell-1",
        "$and": [{"search_key": {"$regex": "nguyen", "$options": "i"}}],
        "$or": [{"card_number": "7A0F3C-00042"}, {"born": {"$lt": "1961-07-19"}}],
        "pending_events.0": {"$exists": True},
    }
    shape = filter_shape(criteria)
    assert shape == {
        "fields": {
            "organisation_id": ["$eq"],
            "search_key": ["$regex"],
            "pending_events.0": ["$exists"],
        },
        "or": [
            [
                {"fields": {"card_number": ["$eq"]}, "or": []},
                {"fields": {"born": ["$lt"]}, "or": []},
            ]
        ],
    }
    written = json.dumps(shape)
    for value in ("cell-1", "nguyen", "7A0F3C-00042", "1961-07-19"):
        assert value not in written


def test_an_id_used_as_a_field_name_is_left_out_too() -> None:
    case = "5f0d2c1e-8a43-4f7e-9d0b-3c6f1a2e7b90"
    shape = filter_shape({"_id": "c-1", f"cases.{case}.version": {"$not": {"$gte": 2}}})
    assert shape["fields"] == {"_id": ["$eq"], "cases.<id>.version": ["$not"]}


def test_updates_deletes_and_a_count_are_queries_too() -> None:
    update = {"update": "members", "updates": [{"q": {"_id": "m-1", "version": 2}, "u": {}}]}
    delete = {"delete": "inbox", "deletes": [{"q": {"applied_at": {"$lt": 1}}, "limit": 0}]}
    count = {"aggregate": "members", "pipeline": [{"$match": {"standing": "x"}}, {"$group": {}}]}
    assert [q["filter"]["fields"] for q in queries_of("update", update)] == [
        {"_id": ["$eq"], "version": ["$eq"]}
    ]
    assert [q["filter"]["fields"] for q in queries_of("delete", delete)] == [
        {"applied_at": ["$lt"]}
    ]
    assert [q["filter"]["fields"] for q in queries_of("aggregate", count)] == [
        {"standing": ["$eq"]}
    ]


def test_a_lookup_by_id_is_always_covered() -> None:
    assert is_covered({"_id": "m-1", "version": 3, "applied": {"$ne": "t-1"}}, [])
    assert is_covered({"_id": {"$in": ["a", "b"]}, "pending_events.0": {"$exists": True}}, [])


def test_equality_then_sort_then_ranges_on_keys_is_covered() -> None:
    sort = [("sort_name", 1), ("_id", 1)]
    assert is_covered({"organisation_id": "c"}, sort, BY_CELL)
    assert is_covered({"organisation_id": {"$in": ["c", "d"]}}, sort, BY_CELL)
    assert is_covered({"organisation_id": "c", "search_key": {"$regex": "an"}}, sort, BY_CELL)
    assert is_covered({"organisation_id": "c", "search_key": {"$regex": "an"}}, [], BY_CELL)
    assert is_covered({"organisation_id": "c"}, [("sort_name", -1), ("_id", -1)], BY_CELL)


def test_a_field_the_index_lacks_is_not_covered() -> None:
    assert not is_covered({"organisation_id": "c", "standing": "ACTIVE"}, [], BY_CELL)
    assert not is_covered({"standing": "ACTIVE"}, [], BY_CELL)


def test_equality_on_a_later_key_only_is_not_covered() -> None:
    assert not is_covered({"sort_name": "an"}, [], index("organisation_id", "sort_name"))


def test_a_sort_the_index_does_not_give_is_not_covered() -> None:
    by_cell = index("organisation_id", "sort_name")
    assert not is_covered({"organisation_id": "c"}, [("full_name", 1)], by_cell)
    assert not is_covered({"organisation_id": "c"}, [("sort_name", 1), ("_id", 1)], by_cell)
    assert not is_covered({"organisation_id": "c"}, [("sort_name", 1), ("_id", -1)], BY_CELL)
    assert not is_covered({}, [("sort_name", 1)], index("organisation_id", "sort_name"))


def test_a_range_before_the_sort_keys_leaves_the_sort_unserved() -> None:
    by_state = index("state", "report_by", "person_name")
    assert is_covered({"state": "I", "report_by": {"$lt": "x"}}, [], by_state)
    assert not is_covered({"state": "I", "report_by": {"$lt": "x"}}, [("person_name", 1)], by_state)


def test_a_range_alone_needs_its_field_first() -> None:
    assert is_covered({"report_by": {"$lt": "x"}}, [], index("report_by", "state"))
    assert not is_covered({"report_by": {"$lt": "x"}}, [], index("state", "report_by"))
    assert not is_covered({"state": {"$ne": "x"}}, [], index("state"))


def test_a_sort_alone_is_served_by_an_index_that_starts_with_it() -> None:
    assert is_covered({}, [("at", -1)], index("-at"))
    assert is_covered({"at": {"$gte": 1}}, [("at", -1)], index("-at"))
    assert not is_covered({}, [("at", -1)], index("personId", "-at"))


def test_a_sparse_index_serves_only_queries_that_name_its_field() -> None:
    pending = index("pending_events.id", sparse=True)
    assert is_covered({"pending_events.id": {"$exists": True}}, [], pending)
    assert not is_covered({"pending_events.id": {"$exists": False}}, [], pending)


def test_an_or_is_covered_branch_by_branch_with_the_rest_of_the_filter() -> None:
    within = {"$or": [{"_id": {"$in": ["a"]}}, {"ancestor_ids": {"$in": ["a"]}}]}
    assert is_covered(within, [], index("ancestor_ids"))
    assert not is_covered(within, [], index("parent_id"))
    cells = {"kind": "CELL", "$or": [{"parent_id": "w"}, {"ancestor_ids": "w"}]}
    assert is_covered(cells, [], index("parent_id", "kind"), index("ancestor_ids", "kind"))
    assert not is_covered(cells, [], index("parent_id"), index("ancestor_ids"))


def test_an_or_decided_on_the_keys_of_one_index_is_covered() -> None:
    after = {
        "organisation_id": "c",
        "$or": [{"sort_name": {"$gt": "an"}}, {"sort_name": "an", "_id": {"$gt": "m"}}],
    }
    assert is_covered(after, [("sort_name", 1), ("_id", 1)], BY_CELL)


def test_an_equality_on_an_array_the_index_is_narrowed_by_needs_no_key() -> None:
    declared = {
        "name": "search_word_band_1",
        "keys": [["search_words", 1], ["name_band_1", 1], ["search_key", 1]],
        "unique": False,
        "sparse": False,
        "narrowed_by": ["scope_ids"],
    }
    (record,) = index_records({"indexes": [as_sent(declared)], "comment": narrowing(declared)})
    assert record == declared
    bands = DeclaredIndex.of(record)
    band = {"search_words": "ngu*", "name_band_1": "nguyen", "search_key": {"$regex": "^ngu"}}
    assert is_covered({**band, "scope_ids": "ward"}, [], bands)
    assert not is_covered({**band, "scope_ids": {"$gt": "w"}}, [], bands)  # equality only
    assert not is_covered({**band, "organisation_id": "cell"}, [], bands)
    assert not is_covered({"scope_ids": "ward"}, [], bands)  # it narrows, never bounds
    assert not is_covered({**band, "scope_ids": "ward"}, [], index(*bands.fields))


def as_sent(record: dict[str, Any]) -> dict[str, Any]:
    """An index as a createIndexes command carries it."""
    return {"name": record["name"], "key": dict(record["keys"])}


def narrowing(record: dict[str, Any]) -> dict[str, Any]:
    return {"narrowed_by": {record["name"]: record["narrowed_by"]}}


def test_the_findings_name_each_uncovered_query_and_where_it_came_from() -> None:
    declared = {
        "service": "members",
        "collection": "members",
        "command": "createIndexes",
        "indexes": [
            {"name": "by_cell", "keys": [["organisation_id", 1]], "unique": False, "sparse": False}
        ],
    }

    def query(
        criteria: dict[str, Any], origin: str, service: str = "members", command: str = "find"
    ) -> dict[str, Any]:
        return {
            "service": service,
            "collection": "members",
            "command": command,
            "filter": filter_shape(criteria),
            "sort": [],
            "origin": origin,
        }

    records = [
        declared,
        query({"organisation_id": "c"}, "members/repository/members.py:80 in in_organisation"),
        query({"standing": "A"}, "members/repository/members.py:90 in page"),
        query({"standing": "B"}, "members/repository/members.py:95 in count"),
        query({"organisation_id": "c"}, "evaluations/repository/roster.py:1 in x", "evaluations"),
        query({}, "members/repository/members.py:99 in everyone"),
        query({}, "members/repository/members.py:100 in how_many", command="aggregate"),
        query({}, "members/repository/members.py:101 in how_many", command="count"),
    ]
    findings = uncovered_queries(records)
    assert [(f.service, f.query, f.origins) for f in findings] == [
        ("evaluations", "{organisation_id $eq}", ("evaluations/repository/roster.py:1 in x",)),
        ("members", "{}", ("members/repository/members.py:100 in how_many",)),
        (
            "members",
            "{standing $eq}",
            (
                "members/repository/members.py:90 in page",
                "members/repository/members.py:95 in count",
            ),
        ),
    ]
