// Renders the API reference to dist/docs/index.html: one self-contained file that works with no
// network at all (Redoc inlined with --inlineBundle, a Content-Security-Policy that refuses every
// outside request, see scripts/docs-template.hbs), checked in a real browser by test/docs.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { root, runBin } from "./run-bin.ts";

// Also set by `npm run docs`; repeated so `tsx scripts/build-docs.ts` alone never phones home.
process.env.REDOCLY_TELEMETRY = "off";
process.env.REDOCLY_SUPPRESS_UPDATE_NOTICE = "true";
process.env.SCARF_ANALYTICS = "false";

const output = "dist/docs/index.html";

runBin("redocly", [
  "build-docs",
  "main",
  "--inlineBundle",
  "--template",
  "scripts/docs-template.hbs",
  // Response samples fully expanded: a reviewer reads every field without clicking.
  "--openapi.jsonSamplesExpandLevel",
  "all",
  "--output",
  output,
]);

const file = `${root}${output}`;
let html = readFileSync(file, "utf8");

/** Fails the build: a page that could reach the network must never be published. */
function fail(why: string): never {
  throw new Error(`${output}: ${why}`);
}

// Nothing may be loaded from outside the file.
if (/<script\b[^>]*\bsrc\s*=/i.test(html)) fail("has a <script src>; expected every script inline (--inlineBundle)");
if (/<link\b[^>]*\brel\s*=\s*["']?(?:stylesheet|preload|modulepreload|prefetch|preconnect|dns-prefetch|icon)/i.test(html)) {
  fail("has a <link> that loads a resource");
}

// Pin script-src to the hashes of the page's own inline scripts (Redoc's colour-mode snippet and
// the module that hydrates the page): text injected through a description can then run nothing.
const csp = /(<meta http-equiv="Content-Security-Policy" content="[^"]*?)script-src 'unsafe-inline'/;
if (!csp.test(html)) fail("the Content-Security-Policy of scripts/docs-template.hbs is missing");
const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map(
  ([, body]) => `'sha256-${createHash("sha256").update(body ?? "", "utf8").digest("base64")}'`,
);
if (hashes.length === 0) fail("has no inline script; expected Redoc's");
html = html.replace(csp, `$1script-src ${[...new Set(hashes)].join(" ")}`);

writeFileSync(file, html);
console.log(`${output}: ${Math.ceil(Buffer.byteLength(html) / 1024)} KiB, ${hashes.length} inline scripts pinned by hash`);
