"""The catalog: six test subgraphs (five Federation 2, one Federation 1) over fixed data."""

from gateway_testkit.catalog.subgraphs import catalog_subgraphs

__all__ = ["catalog_subgraphs"]
