// Renders the API reference to dist/docs/index.html: one self-contained file that works with no
// network at all (Redoc 2's standalone bundle and the bundled document inlined, a
// Content-Security-Policy that refuses every outside request, see scripts/docs-template.html),
// checked in a real browser by test/docs.
//
// Why Redoc 2 and not `redocly build-docs` (Redoc 3): Redoc 3 folds each tag's operations behind
// "+ Show", opens them only on their own routes and renders them lazily as they scroll into view,
// and no option changes that. Redoc 2 renders every operation on one page, and its options open
// what a reviewer needs on load: parameters, every response, every example, nested fields.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { root } from "./run-bin.ts";

const output = "dist/docs/index.html";

/** Fails the build: a page that could reach the network must never be published. */
function fail(why: string): never {
  throw new Error(`${output}: ${why}`);
}

const document = JSON.parse(readFileSync(`${root}generated/openapi.json`, "utf8")) as { info: { title: string } };
const redoc = readFileSync(`${root}node_modules/redoc/bundles/redoc.standalone.js`, "utf8");
if (/<\/script/i.test(redoc)) fail("Redoc's bundle contains </script> and cannot be inlined as is");

// Redoc 2 options (https://redocly.com/docs/redoc/config): everything open on load, nothing fetched.
const options = {
  expandResponses: "all", // every response code's description, headers and body
  jsonSampleExpandLevel: "all", // response samples fully expanded
  schemaExpansionLevel: "all", // nested fields (tasks[].id, …) shown, not folded
  expandSingleSchemaField: true,
  hideLoading: true,
  hideDownloadButton: true, // it would build a blob: link; the bundle ships in the package instead
  // Tighter sections: the default 40 px above and below each leaves empty bands between operations.
  theme: { spacing: { sectionVertical: 16 } },
};
const render = `Redoc.init(JSON.parse(document.getElementById("openapi-document").textContent), ${JSON.stringify(options)}, document.getElementById("redoc"));`;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const values: Record<string, string> = {
  title: escapeHtml(document.info.title),
  // `<` escaped: no text of the document can close the <script> element it sits in.
  document: JSON.stringify(document).replace(/</g, "\\u003c"),
  redoc,
  render,
};
let html = readFileSync(`${root}scripts/docs-template.html`, "utf8").replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
  const value = values[name];
  if (value === undefined) fail(`the template uses {{${name}}}, which build-docs.ts does not fill`);
  return value;
});

// Nothing may be loaded from outside the file.
if (/<script\b[^>]*\bsrc\s*=/i.test(html)) fail("has a <script src>; expected every script inline");
if (/<link\b[^>]*\brel\s*=\s*["']?(?:stylesheet|preload|modulepreload|prefetch|preconnect|dns-prefetch|icon)/i.test(html)) {
  fail("has a <link> that loads a resource");
}

// Pin script-src to the hashes of the page's own inline scripts: text injected through a
// description can then run nothing.
const csp = /(<meta http-equiv="Content-Security-Policy" content="[^"]*?)script-src 'unsafe-inline'/;
if (!csp.test(html)) fail("the Content-Security-Policy of scripts/docs-template.html is missing");
const hashes = [...html.matchAll(/<script\b(?![^>]*type="application\/json")[^>]*>([\s\S]*?)<\/script>/gi)].map(
  ([, body]) => `'sha256-${createHash("sha256").update(body ?? "", "utf8").digest("base64")}'`,
);
if (hashes.length !== 2) fail(`has ${hashes.length} executable inline scripts; expected Redoc and the call that renders it`);
html = html.replace(csp, `$1script-src ${hashes.join(" ")}`);

mkdirSync(dirname(`${root}${output}`), { recursive: true });
writeFileSync(`${root}${output}`, html);
console.log(`${output}: ${Math.ceil(Buffer.byteLength(html) / 1024)} KiB, Redoc ${JSON.parse(readFileSync(`${root}node_modules/redoc/package.json`, "utf8")).version}, ${hashes.length} inline scripts pinned by hash`);
