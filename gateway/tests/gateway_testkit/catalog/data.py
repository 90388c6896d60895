"""The catalog's fixed data, shared by its subgraphs."""

from __future__ import annotations

from typing import Any

Record = dict[str, Any]

USERS: dict[str, Record] = {
    "u1": {
        "id": "u1",
        "email": "ada@example.org",
        "name": "Ada Lovelace",
        "username": "ada",
        "birthYear": 1815,
        "secret": "s1",
        "role": "ADMIN",
        "address": {"street": "12 St James's Square", "city": "London"},
    },
    "u2": {
        "id": "u2",
        "email": "alan@example.org",
        "name": "Alan Turing",
        "username": "alan",
        "birthYear": 1912,
        "secret": "s2",
        "role": "MEMBER",
        "address": None,
    },
    "u3": {
        "id": "u3",
        "email": "grace@example.org",
        "name": "Grace Hopper",
        "username": "grace",
        "birthYear": None,
        "secret": "s3",
        "role": "STAFF",
        "address": {"street": "Navy Yard", "city": "Arlington"},
    },
}

PRODUCTS: dict[str, Record] = {
    str(n): {
        "id": f"product-{n}",
        "upc": str(n),
        "sku": f"sku-{n}",
        "variation": {"id": f"v{n % 2}"},
        "name": ["Table", "Couch", "Chair", "Lamp", "Desk"][n - 1],
        "price": 100 * n + 99,
        "weight": 5 * n,
        "dimensions": {"size": ["S", "M", "L", "XL", "M"][n - 1], "weight": 1.5 * n},
        "createdBy": ["u1", "u2", "u1", "u3", None][n - 1],
        "category": [{"id": "c1", "name": "Furniture"}, None][n % 2],
        "tags": [f"tag-{n}", "sale"] if n % 2 else [],
        "inStock": n != 3,
        "stockLocation": f"aisle-{n}",
        "legacyCode": f"L-{n:03d}",
        "warehouse": ["w1", "w2", None][n % 3],
    }
    for n in range(1, 6)
}

REVIEWS: dict[str, Record] = {
    f"r{n}": {"id": f"r{n}", "body": body, "rating": rating, "author": author, "product": upc}
    for n, (body, rating, author, upc) in enumerate(
        [
            ("Love it!", 5, "u1", "1"),
            ("Too expensive.", 2, "u2", "1"),
            ("Could be worse.", 3, "u1", "2"),
            ("Prefer something else.", 1, "u3", "4"),
            ("Perfect desk.", 5, "u2", "5"),
            ("Fine chair.", 4, "u1", "3"),
        ],
        start=1,
    )
}

MEDIA: dict[str, Record] = {
    "b1": {"__typename": "Book", "id": "b1", "title": "Sketches", "author": "Ada"},
    "b2": {"__typename": "Book", "id": "b2", "title": "On Computable Numbers", "author": "Alan"},
    "m1": {"__typename": "Movie", "id": "m1", "title": "The Imitation Game", "director": "Morten"},
}

MEDIA_REVIEW_COUNTS = {"b1": 3, "b2": 7, "m1": 12}

WAREHOUSES: dict[str, Record] = {
    "w1": {"id": "w1", "name": "North", "city": "Hanoi", "manager": "u1"},
    "w2": {"id": "w2", "name": "South", "city": "Hue", "manager": "u3"},
}
