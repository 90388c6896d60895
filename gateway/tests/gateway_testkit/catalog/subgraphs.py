"""Resolvers of the catalog subgraphs."""

from __future__ import annotations

import copy
from typing import Any

from graphql import GraphQLError

from gateway_testkit.catalog import schemas
from gateway_testkit.catalog.data import (
    MEDIA,
    MEDIA_REVIEW_COUNTS,
    PRODUCTS,
    REVIEWS,
    USERS,
    WAREHOUSES,
    Record,
)
from gateway_testkit.federated import Subgraph


def catalog_subgraphs() -> list[Subgraph]:
    users = copy.deepcopy(USERS)
    return [
        _accounts(users),
        _products(),
        _inventory(),
        _reviews(),
        _locations(),
        _legacy(),
    ]


def _user(users: dict[str, Record], user_id: str | None) -> Record | None:
    found = users.get(user_id or "")
    return {**found, "__typename": "User"} if found else None


def _accounts(users: dict[str, Record]) -> Subgraph:
    def by_key(rep: Record) -> Record | None:
        if "id" in rep:
            return _user(users, rep["id"])
        return next(
            (_user(users, u["id"]) for u in users.values() if u["email"] == rep["email"]), None
        )

    def rename(_: Any, __: Any, id: str, name: str) -> Record | None:
        if id in users:
            users[id]["name"] = name
        return _user(users, id)

    def risk_score(source: Record, _: Any) -> int:
        if source["id"] == "u2":
            raise GraphQLError("risk score withheld", extensions={"code": "FORBIDDEN"})
        return len(source["name"])

    return Subgraph(
        "accounts",
        schemas.ACCOUNTS,
        resolvers={
            "User.riskScore": risk_score,
            "Query.me": lambda *_: _user(users, "u1"),
            "Query.users": lambda *_: [_user(users, u) for u in users],
            "Query.user": lambda _, __, id: _user(users, id),
            "Query.nodes": lambda *_: [_user(users, u) for u in users],
            "Query.usersByRole": lambda _, __, role, **___: [
                _user(users, u) for u, found in users.items() if found["role"] == role
            ],
            "Query.findUsers": lambda _, __, filter=None: [
                _user(users, u)
                for u, found in users.items()
                if not filter or not filter.get("name") or filter["name"] in found["name"]
            ],
            "Mutation.renameUser": rename,
        },
        entities={"User": by_key},
    )


def _product(upc: str | None) -> Record | None:
    found = PRODUCTS.get(upc or "")
    if found is None:
        return None
    creator = found["createdBy"]
    return {
        **found,
        "__typename": "Product",
        "createdBy": {**USERS[creator], "__typename": "User"} if creator else None,
        "category": {**found["category"], "__typename": "Category"} if found["category"] else None,
    }


def _products() -> Subgraph:
    def by_key(rep: Record) -> Record | None:
        if "upc" in rep:
            return _product(rep["upc"])
        return next(
            (
                _product(p["upc"])
                for p in PRODUCTS.values()
                if p["sku"] == rep["sku"] and p["variation"] == rep["variation"]
            ),
            None,
        )

    def search(_: Any, __: Any, term: str) -> list[Record | None]:
        found: list[Record | None] = [
            _product(p["upc"]) for p in PRODUCTS.values() if term.lower() in p["name"].lower()
        ]
        if term.lower() in "furniture":
            found.append({"__typename": "Category", "id": "c1", "name": "Furniture"})
        return found

    media = lambda rep: dict(MEDIA[rep["id"]]) if rep["id"] in MEDIA else None  # noqa: E731
    return Subgraph(
        "products",
        schemas.PRODUCTS,
        resolvers={
            "Query.topProducts": lambda _, __, first=5: [_product(u) for u in PRODUCTS][:first],
            "Query.product": lambda _, __, upc: _product(upc),
            "Query.search": search,
            "Query.allMedia": lambda *_: [dict(m) for m in MEDIA.values()],
            "Query.productNodes": lambda *_: [_product(u) for u in PRODUCTS],
        },
        entities={"Product": by_key, "Media": media, "Book": media, "Movie": media},
    )


def _discount(info: Any) -> int:
    raise GraphQLError("discounts are being recalculated", extensions={"code": "UNAVAILABLE"})


def _inventory() -> Subgraph:
    def by_key(rep: Record) -> Record | None:
        found = PRODUCTS.get(rep["upc"])
        if found is None:
            return None
        product = {
            "upc": rep["upc"],
            "discount": _discount,
            "inStock": found["inStock"],
            "stockLocation": f"inventory-{found['stockLocation']}",
        }
        if "price" in rep and "weight" in rep:
            product["shippingEstimate"] = rep["price"] * rep["weight"] // 100
        if "dimensions" in rep:
            dims = rep["dimensions"]
            product["packaging"] = f"box-{dims['size']}-{float(dims['weight']):g}"
        return product

    return Subgraph(
        "inventory",
        schemas.INVENTORY,
        resolvers={
            # Apollo's planner asks the subgraph for @requires fields of objects it returned
            # itself without fetching the requirements: a root resolver must compute them.
            "Query.outOfStock": lambda *_: [
                by_key({"upc": p["upc"], "price": p["price"], "weight": p["weight"]})
                for p in PRODUCTS.values()
                if not p["inStock"]
            ]
        },
        entities={"Product": by_key},
    )


def _review(review_id: str | None) -> Record | None:
    found = REVIEWS.get(review_id or "")
    if found is None:
        return None
    author = USERS[found["author"]]
    return {
        **found,
        "__typename": "Review",
        "author": {"id": author["id"], "username": author["username"]},
        "product": {"upc": found["product"]},
    }


def _reviews() -> Subgraph:
    def user(rep: Record) -> Record:
        mine = [_review(r["id"]) for r in REVIEWS.values() if r["author"] == rep["id"]]
        return {"id": rep["id"], "reviews": mine, "reviewCount": len(mine)}

    def product(rep: Record) -> Record:
        found: Record = {
            "upc": rep["upc"],
            "reviews": [_review(r["id"]) for r in REVIEWS.values() if r["product"] == rep["upc"]],
        }
        if "shippingEstimate" in rep:
            found["deliveryScore"] = rep["shippingEstimate"] * 2 + 1
        return found

    def add_review(_: Any, __: Any, upc: str, body: str, rating: int) -> Record:
        return {
            "id": f"new-{upc}-{rating}",
            "body": body,
            "rating": rating,
            "author": {"id": "u2", "username": "alan"},
            "product": {"upc": upc},
        }

    return Subgraph(
        "reviews",
        schemas.REVIEWS,
        resolvers={
            "Query.latestReviews": lambda *_: [_review(r) for r in REVIEWS],
            "Query.review": lambda _, __, id: _review(id),
            "Query.mostReviewedMedia": lambda *_: {
                "__typename": "Media",
                "id": "m1",
                "reviewCount": MEDIA_REVIEW_COUNTS["m1"],
            },
            "Mutation.addReview": add_review,
        },
        entities={
            "User": user,
            "Product": product,
            "Review": lambda rep: _review(rep["id"]),
            "Media": lambda rep: {"id": rep["id"], "reviewCount": MEDIA_REVIEW_COUNTS[rep["id"]]},
        },
    )


def _warehouse(warehouse_id: str | None) -> Record | None:
    found = WAREHOUSES.get(warehouse_id or "")
    if found is None:
        return None
    manager = USERS[found["manager"]]
    return {
        **found,
        "__typename": "Warehouse",
        "manager": {
            "id": manager["id"],
            "email": manager["email"],
            "address": _located_address(manager["email"]),
        },
    }


def _located_address(email: str) -> Record | None:
    address = next(u for u in USERS.values() if u["email"] == email)["address"]
    if address is None:
        return None
    return {"city": address["city"], "postcode": f"P-{len(address['street'])}"}


def _locations() -> Subgraph:
    def product(rep: Record) -> Record | None:
        for found in PRODUCTS.values():
            if found["sku"] == rep["sku"] and found["variation"] == rep["variation"]:
                return {
                    "sku": found["sku"],
                    "variation": found["variation"],
                    "warehouse": _warehouse(found["warehouse"]),
                    "stockLocation": "locations-" + found["stockLocation"],
                }
        return None

    def user(rep: Record) -> Record:
        email = rep["email"]
        managed = [
            _warehouse(w["id"])
            for w in WAREHOUSES.values()
            if USERS[w["manager"]]["email"] == email
        ]
        return {"email": email, "managedWarehouses": managed, "address": _located_address(email)}

    return Subgraph(
        "locations",
        schemas.LOCATIONS,
        resolvers={
            "Query.warehouses": lambda *_: [_warehouse(w) for w in WAREHOUSES],
            "Query.locate": lambda _, __, term: [
                _warehouse(w["id"])
                for w in WAREHOUSES.values()
                if term.lower() in w["city"].lower()
            ],
        },
        entities={"Product": product, "User": user},
    )


def _legacy() -> Subgraph:
    def product(rep: Record) -> Record | None:
        found = PRODUCTS.get(rep["upc"])
        if found is None:
            return None
        return {"upc": found["upc"], "legacyCode": found["legacyCode"], "name": found["name"]}

    return Subgraph(
        "legacy",
        schemas.LEGACY,
        resolvers={"Query.legacyProducts": lambda *_: [product({"upc": u}) for u in ("2", "4")]},
        entities={
            "Product": product,
            "User": lambda rep: {"id": rep["id"], "legacyId": f"legacy-{rep['id']}"},
            "Review": lambda rep: {"id": rep["id"], "legacyScore": len(rep["id"]) * 10},
        },
    )
