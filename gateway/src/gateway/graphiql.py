"""The GraphiQL page served on GET /graphql to browsers in development mode. It holds no data:
its requests carry the token pasted in its headers editor, like any other client's."""

GRAPHIQL_HTML = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>partyorg GraphiQL</title>
    <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
    <link rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css" />
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script crossorigin src="https://unpkg.com/react@18.3.1/umd/react.production.min.js"></script>
    <script crossorigin
      src="https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js"></script>
    <script crossorigin src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"></script>
    <script>
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
    </script>
  </body>
</html>
"""
