"""Small federated subgraphs, servers and helpers for testing the gateway."""
