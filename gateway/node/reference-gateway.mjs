// Apollo's reference gateway (@apollo/gateway + @apollo/server) on a supergraph file, used as
// the oracle of the differential tests and as a contestant in the benchmark.
//   node gateway/node/reference-gateway.mjs --supergraph FILE --port N [--urls JSON]
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

const supergraphSdl = readFileSync(option("--supergraph"), "utf8");
const port = Number(option("--port", "4100"));
const urls = JSON.parse(option("--urls", "{}"));

const gateway = new ApolloGateway({
  supergraphSdl,
  buildService: ({ name, url }) => new RemoteGraphQLDataSource({ url: urls[name] ?? url }),
});
const server = new ApolloServer({
  gateway,
  introspection: true,
  includeStacktraceInErrorResponses: false,
  csrfPrevention: false,
});
const { url } = await startStandaloneServer(server, { listen: { port, host: "127.0.0.1" } });
console.log(`ready ${url}`);
