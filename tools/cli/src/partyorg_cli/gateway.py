"""The gateway, as the tool sees it: one GraphQL mutation per chunk of rows, with a token."""

from typing import Any

import httpx

from partyorg_cli.columns import Kind

REPORT = "created updated unchanged rejected rows { row key outcome id code field message }"
MUTATIONS = {
    Kind.MEMBERS: ("importMembers", "ImportMembersInput"),
    Kind.CANDIDATES: ("importCandidates", "ImportCandidatesInput"),
    Kind.ORGANISATIONS: ("importOrganisations", "ImportOrganisationsInput"),
}


class GatewayFailed(Exception):
    """The gateway did not take the chunk: unreachable, refused the token, or an error for the
    whole call. Nothing of the chunk is counted done."""


def endpoint(url: str) -> str:
    url = url.rstrip("/")
    return url if url.endswith("/graphql") else f"{url}/graphql"


class Gateway:
    def __init__(self, url: str, token: str, timeout: float = 120.0) -> None:
        self.url = endpoint(url)
        self.client = httpx.Client(
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            # an idle connection is dropped before the server's keep-alive closes it under us
            limits=httpx.Limits(keepalive_expiry=2),
        )

    def close(self) -> None:
        self.client.close()

    def send(self, kind: Kind, rows: list[dict[str, Any]], dry_run: bool) -> dict[str, Any]:
        """The import report of these rows (each row's outcome)."""
        field, input_type = MUTATIONS[kind]
        query = f"mutation ($input: {input_type}!) {{ {field}(input: $input) {{ {REPORT} }} }}"
        variables = {"input": {"rows": rows, "dryRun": dry_run}}
        try:
            response = self.client.post(self.url, json={"query": query, "variables": variables})
        except httpx.HTTPError as error:
            raise GatewayFailed(f"the gateway at {self.url} is unreachable: {error}") from error
        try:
            body = response.json()
        except ValueError:
            raise GatewayFailed(f"the gateway answered HTTP {response.status_code}") from None
        if body.get("errors"):
            first = body["errors"][0]
            code = (first.get("extensions") or {}).get("code", "ERROR")
            raise GatewayFailed(f"{code}: {first.get('message')}")
        report: dict[str, Any] = body["data"][field]
        return report
