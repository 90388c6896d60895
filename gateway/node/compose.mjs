// Composes the subgraphs listed in gateway/subgraphs.json into gateway/supergraph.graphql
// with Apollo's own composition library.
//   node gateway/node/compose.mjs                      write the supergraph
//   node gateway/node/compose.mjs --check              exit 1 when the committed file is stale
//   node gateway/node/compose.mjs --config F --out G   other list / output (paths from cwd)
//   node gateway/node/compose.mjs --stdin              [{name, url, sdl}] on stdin, SDL on stdout
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { resolve } from "node:path";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

const configPath = resolve(option("--config", "gateway/subgraphs.json"));
const outPath = resolve(option("--out", "gateway/supergraph.graphql"));
const check = process.argv.includes("--check");
const root = option("--root", process.cwd());

const fromStdin = process.argv.includes("--stdin");
const listed = JSON.parse(readFileSync(fromStdin ? 0 : configPath, "utf8"));
const services = listed.map(({ name, url, schema, sdl }) => {
  if (fromStdin) {
    return { name, url, typeDefs: parse(sdl) };
  }
  const path = resolve(root, schema);
  if (!existsSync(path)) {
    console.error(`compose: schema of subgraph "${name}" not found: ${path}`);
    process.exit(2);
  }
  let typeDefs;
  try {
    typeDefs = parse(readFileSync(path, "utf8"));
  } catch (error) {
    console.error(`compose: ${path}: ${error.message}`);
    process.exit(2);
  }
  return { name, url, typeDefs };
});

const result = composeServices(services);
for (const hint of result.hints ?? []) {
  console.error(`hint [${hint.definition.code}] ${hint.message}`);
}
if (result.errors) {
  for (const error of result.errors) {
    const code = error.extensions?.code ?? "COMPOSITION_ERROR";
    console.error(`error [${code}] ${error.message}`);
  }
  console.error(`compose: ${result.errors.length} composition error(s)`);
  process.exit(1);
}

const supergraph = result.supergraphSdl.endsWith("\n")
  ? result.supergraphSdl
  : `${result.supergraphSdl}\n`;
if (fromStdin) {
  process.stdout.write(supergraph);
} else if (check) {
  const committed = existsSync(outPath) ? readFileSync(outPath, "utf8") : "";
  if (committed !== supergraph) {
    console.error(
      `compose: ${outPath} is out of date; run \`node gateway/node/compose.mjs\` and commit it`,
    );
    process.exit(1);
  }
  console.log(`compose: ${outPath} is up to date`);
} else {
  writeFileSync(outPath, supergraph);
  console.log(`compose: wrote ${outPath} from ${services.length} subgraphs`);
}
