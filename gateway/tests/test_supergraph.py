"""Reading supergraphs as Apollo's composition writes them, join v0.3 to v0.5."""

import re

import pytest
from gateway.supergraph import SupergraphError, load_supergraph
from gateway_testkit.fixtures import supergraph_of
from graphql import print_schema


def with_join_version(sdl: str, version: str) -> str:
    return re.sub(r"specs\.apollo\.dev/join/v0\.\d", f"specs.apollo.dev/join/v{version}", sdl)


@pytest.mark.parametrize("version", ["0.3", "0.4", "0.5"])
def test_join_versions_from_0_3_to_0_5_are_read_alike(version: str) -> None:
    supergraph = load_supergraph(with_join_version(supergraph_of("catalog"), version))
    assert supergraph.urls["accounts"] == "http://accounts.invalid/graphql"
    assert supergraph.resolvers_of("Product", "shippingEstimate") == ["inventory"]
    assert supergraph.field_in("Product", "shippingEstimate", "inventory").requires is not None  # type: ignore[union-attr]


def test_a_join_spec_imported_under_another_name_is_followed() -> None:
    renamed = (
        supergraph_of("party")
        .replace("join__", "j__")
        .replace('join/v0.4", for: EXECUTION)', 'join/v0.4", as: "j", for: EXECUTION)')
    )
    supergraph = load_supergraph(renamed)
    assert supergraph.resolvers_of("Organisation", "members") == ["members"]


def test_the_api_schema_has_no_join_link_or_inaccessible_elements() -> None:
    api = print_schema(load_supergraph(supergraph_of("catalog")).api_schema)
    assert "join__" not in api
    assert "link__" not in api
    assert "@link" not in api
    assert "secret" not in api
    assert "type Product" in api


def test_a_schema_without_the_join_spec_is_refused() -> None:
    with pytest.raises(SupergraphError):
        load_supergraph("type Query { a: Int }")


def test_resolvability_follows_external_override_and_interface_objects() -> None:
    supergraph = load_supergraph(supergraph_of("catalog"))
    assert not supergraph.can_resolve("User", "username", "reviews")
    assert supergraph.resolvers_of("Product", "stockLocation") == ["inventory"]
    assert supergraph.resolvers_of("Book", "reviewCount") == []
    assert supergraph.interface_object_graphs("Media", "reviewCount") == ["reviews"]
