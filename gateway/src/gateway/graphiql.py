"""The GraphiQL page served on GET /graphql to browsers in development mode. It holds no data:
its requests carry the token pasted in its headers editor, like any other client's.

The page loads React and GraphiQL from the gateway itself, never from the internet: `make
graphiql` (part of `make install`) copies them from the npm packages pinned in
gateway/node/package-lock.json into graphiql_assets/, with their Subresource Integrity hashes in
a manifest the page is written from."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

ASSETS_FOLDER = Path(__file__).parent / "graphiql_assets"
ASSETS_ROUTE = "/graphiql-assets"


@dataclass(frozen=True)
class Asset:
    name: str
    integrity: str

    @property
    def url(self) -> str:
        return f"{ASSETS_ROUTE}/{self.name}"

    def tag(self) -> str:
        url, integrity = html.escape(self.url), html.escape(self.integrity)
        if self.name.endswith(".css"):
            return f'<link rel="stylesheet" href="{url}" integrity="{integrity}" />'
        return f'<script src="{url}" integrity="{integrity}"></script>'


def load_assets(folder: Path = ASSETS_FOLDER) -> list[Asset]:
    """The files of the page in the order it loads them; none when they were never built."""
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return []
    listed = json.loads(manifest.read_text())["assets"]
    assets = [Asset(entry["name"], entry["integrity"]) for entry in listed]
    return [asset for asset in assets if (folder / asset.name).is_file()]


_SCRIPT = """<script>
      const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
      const defaultHeaders = JSON.stringify(
        { Authorization: "Bearer <a token: make up prints one per role>" }, null, 2
      );
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        React.createElement(GraphiQL, {
          fetcher,
          defaultHeaders,
          shouldPersistHeaders: true,
          defaultEditorToolsVisibility: "headers",
        })
      );
    </script>"""

_NOT_BUILT = (
    "GraphiQL's files are not built into this gateway: run <code>make install</code> "
    "(or <code>make graphiql</code>). The API at this address answers all the same."
)


def page(assets: list[Asset]) -> str:
    styles = [asset.tag() for asset in assets if asset.name.endswith(".css")]
    scripts = [asset.tag() for asset in assets if not asset.name.endswith(".css")]
    body = "\n    ".join([*scripts, _SCRIPT]) if scripts else ""
    waiting = "Loading GraphiQL…" if scripts else _NOT_BUILT
    head = "\n    ".join(styles)
    return f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>partyorg GraphiQL</title>
    <style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
    {head}
  </head>
  <body>
    <div id="graphiql">{waiting}</div>
    {body}
  </body>
</html>
"""
