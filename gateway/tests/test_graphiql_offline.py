"""The GraphiQL page in a real browser with the internet cut off: everything it loads comes from
the gateway, and a query run from it with a pasted token is answered."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from gateway_testkit.catalog import catalog_subgraphs
from gateway_testkit.fixtures import supergraph_of
from gateway_testkit.harness import GatewayUnderTest, run_gateway
from gateway_testkit.identity import staff_token
from gateway_testkit.serving import serve_subgraphs

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs a headless Chromium: apt-get install chromium"
)

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

# no lookups, no background traffic: any host but this machine's fails to resolve
CHROMIUM_ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def gateway() -> Iterator[GatewayUnderTest]:
    with (
        serve_subgraphs(catalog_subgraphs()) as running,
        run_gateway(supergraph_of("catalog"), running) as gateway,
    ):
        yield gateway


def test_graphiql_runs_a_query_with_a_token_and_nothing_from_the_internet(
    gateway: GatewayUnderTest,
) -> None:
    from playwright.sync_api import Route, sync_playwright

    refused: list[str] = []
    loaded: list[str] = []

    def only_this_machine(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            loaded.append(url)
            route.continue_()
        else:
            refused.append(url)
            route.abort("internetdisconnected")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", only_this_machine)
            page.goto(f"{gateway.url}/graphql", wait_until="load")
            page.wait_for_selector(".graphiql-execute-button", timeout=30_000)

            headers = json.dumps({"Authorization": f"Bearer {staff_token()}"})
            page.evaluate(
                """([operation, headers]) => {
                    // the editor shown in an area: the page opens on the headers tab
                    const editor = (area) => document.querySelector(
                        `${area} .graphiql-editor:not(.hidden) .CodeMirror`
                    ).CodeMirror;
                    editor(".graphiql-query-editor").setValue(operation);
                    editor(".graphiql-editor-tool").setValue(headers);
                }""",
                ["{ me { name } }", headers],
            )
            page.click(".graphiql-execute-button")
            answer = page.locator(".result-window")
            answer.get_by_text("Ada Lovelace").wait_for(timeout=30_000)
            result = json.loads(
                page.evaluate(
                    "document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()"
                )
            )
        finally:
            browser.close()

    assert result == {"data": {"me": {"name": "Ada Lovelace"}}}
    assert refused == []
    assert any("/graphiql-assets/" in url for url in loaded)
