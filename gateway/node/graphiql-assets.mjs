// Copies the GraphiQL page's scripts and style sheet from the pinned npm packages into the folder
// the gateway serves them from, with a manifest of their Subresource Integrity hashes, so that
// the page loads nothing from the internet: node gateway/node/graphiql-assets.mjs [--check]
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const target = join(here, "..", "src", "gateway", "graphiql_assets");

// in the order the page loads them: GraphiQL's bundle expects React and ReactDOM as globals
const assets = [
  { package: "graphiql", file: "graphiql.min.css" },
  { package: "react", file: "umd/react.production.min.js" },
  { package: "react-dom", file: "umd/react-dom.production.min.js" },
  { package: "graphiql", file: "graphiql.min.js" },
];

function manifestOf() {
  return {
    assets: assets.map(({ package: name, file }) => {
      const source = join(modules, name, file);
      const { version } = JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8"));
      const digest = createHash("sha384").update(readFileSync(source)).digest("base64");
      return { name: `${name}-${version}-${file.split("/").pop()}`, package: name, version, integrity: `sha384-${digest}`, source };
    }),
  };
}

const manifest = manifestOf();
const manifestPath = join(target, "manifest.json");
const written = JSON.stringify({ assets: manifest.assets.map(({ source, ...kept }) => kept) }, null, 2) + "\n";

if (process.argv.includes("--check")) {
  const current = existsSync(manifestPath) ? readFileSync(manifestPath, "utf8") : "";
  const stale = current !== written || manifest.assets.some(({ name }) => !existsSync(join(target, name)));
  if (stale) {
    console.error("gateway GraphiQL assets are missing or stale: run make graphiql");
    process.exit(1);
  }
  process.exit(0);
}

mkdirSync(target, { recursive: true });
for (const { name, source } of manifest.assets) copyFileSync(source, join(target, name));
writeFileSync(manifestPath, written);
console.log(`GraphiQL assets: ${manifest.assets.map(({ name }) => name).join(", ")} → ${target}`);
