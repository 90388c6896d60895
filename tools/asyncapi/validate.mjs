// Validates each AsyncAPI document with the ecosystem's parser (@asyncapi/parser: the AsyncAPI
// schema, references, and its ruleset); fails on any error, prints errors and warnings.
//   node tools/asyncapi/validate.mjs services/*/asyncapi.yaml        (make asyncapi-check)
import { readFile } from "node:fs/promises";
import { Parser, fromFile } from "@asyncapi/parser";

const SEVERITY = ["error", "warning", "info", "hint"];
const parser = new Parser();
let failed = false;
for (const path of process.argv.slice(2)) {
  const { document, diagnostics } = await fromFile(parser, path).parse();
  const errors = diagnostics.filter((d) => d.severity === 0);
  for (const d of diagnostics.filter((d) => d.severity <= 1)) {  // errors and warnings
    const where = d.path.join(".") || "(document)";
    console.log(`${path}: ${SEVERITY[d.severity]} ${d.code} at ${where}: ${d.message}`);
  }
  failed ||= errors.length > 0 || document === undefined;
  console.log(`${path}: ${errors.length ? "INVALID" : "valid"} AsyncAPI ${(await readFile(path, "utf8")).match(/^asyncapi: (.*)$/m)?.[1]}`);
}
process.exit(failed ? 1 : 0);
