// The event catalogue as HTML: one page per AsyncAPI document, drawn in the browser by the
// AsyncAPI ecosystem's own React component (@asyncapi/react-component, its standalone bundle:
// the same renderer @asyncapi/html-template uses), with an index. Works offline, from file://.
//   node tools/asyncapi/render.mjs build/asyncapi services/*/asyncapi.yaml   (make asyncapi-html)
// The generator (@asyncapi/generator) is not used: installing it downloads a browser build
// (puppeteer, for its PDF output), which cannot be fetched here.
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { Parser, fromFile } from "@asyncapi/parser";

const require = createRequire(import.meta.url);
const component = path.dirname(require.resolve("@asyncapi/react-component/package.json"));
const [out, ...documents] = process.argv.slice(2);
await mkdir(out, { recursive: true });
await copyFile(path.join(component, "browser/standalone/index.js"), path.join(out, "asyncapi.js"));
await copyFile(path.join(component, "styles/default.min.css"), path.join(out, "asyncapi.css"));

const escape = (text) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const parser = new Parser();
const pages = [];
for (const file of documents) {
  const { document, diagnostics } = await fromFile(parser, file).parse();
  if (document === undefined) {
    console.error(`${file}: not a valid AsyncAPI document (make asyncapi-check)`, diagnostics);
    process.exit(1);
  }
  const service = path.basename(path.dirname(file));
  const title = document.info().title();
  const text = await readFile(file, "utf8");
  // the document as a JSON string literal, with "<" escaped so that it cannot end the script
  const literal = JSON.stringify(text).replace(/</g, "\\u003c");
  await writeFile(
    path.join(out, `${service}.html`),
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<link rel="stylesheet" href="asyncapi.css"></head>
<body><p><a href="index.html">partyorg events</a></p><div id="asyncapi"></div>
<script src="asyncapi.js"></script>
<script>
AsyncApiStandalone.render({ schema: ${literal}, config: { show: { sidebar: true } } },
  document.getElementById("asyncapi"));
</script></body></html>
`,
  );
  pages.push({ service, title, channels: document.channels().length });
  console.log(`${path.join(out, service)}.html: ${title}, ${document.channels().length} channels`);
}
const items = pages
  .map((p) => `<li><a href="${p.service}.html">${escape(p.title)}</a> — ${p.channels} channels</li>`)
  .join("\n");
await writeFile(
  path.join(out, "index.html"),
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>partyorg events</title></head>
<body><h1>partyorg events</h1>
<p>CloudEvents 1.0 on the topic exchange <code>partyorg.events</code>, the event type as routing
key, all of them kept in the stream <code>partyorg.events.stream</code> for city systems
(README, Public event stream). Each service's document names what it publishes and what it reads.</p>
<ul>
${items}
</ul></body></html>
`,
);
console.log(`${path.join(out, "index.html")}`);
