// The rendered reference (dist/docs/index.html, from `npm run docs`) in a real browser with the
// network cut off. Driven by the bundle: on first load, with no click and no scroll, every operation
// of generated/openapi.json shows its summary, its parameters, its responses and its example
// response. The page must not even try to reach the network (no CDN logo, no fonts, no telemetry).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Locator, type Page, type Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBundle, loadRawBundle, type OpenAPIV3 } from "../spec/load-bundle.ts";

const repo = new URL("../../", import.meta.url);
const docsHtml = fileURLToPath(new URL("dist/docs/index.html", repo));
const screenshotFile = fileURLToPath(new URL("dist/docs/screenshot.png", repo));
const readmeScreenshotDir = fileURLToPath(new URL("docs/", repo));

const TIMEOUT = 60_000;
const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

interface Operation {
  id: string;
  summary: string;
  parameters: string[];
  responses: string[];
  /** The first success response with a JSON example: its code, the example, its body's field names. */
  example?: { code: string; value: unknown; fields: string[] };
}

/** Property names of a schema, nested ones as `parent.child` / `parent[].child` (Redoc's own layout). */
function fieldsOf(schema: OpenAPIV3.SchemaObject | undefined, prefix = "", depth = 0): string[] {
  if (!schema || depth > 3) return [];
  const items = schema.type === "array" ? (schema.items as OpenAPIV3.SchemaObject) : undefined;
  if (items) return fieldsOf(items, prefix ? `${prefix}[]` : "", depth);
  return Object.entries(schema.properties ?? {}).flatMap(([name, sub]) => [
    name,
    ...fieldsOf(sub as OpenAPIV3.SchemaObject, name, depth + 1),
  ]);
}

/** Every operation of the committed bundle, with what the page must show for it. */
async function operationsOf(api: OpenAPIV3.Document): Promise<Operation[]> {
  return Object.values(api.paths).flatMap((item) =>
    methods.flatMap((method) => {
      const op = item?.[method];
      if (!op) return [];
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])] as OpenAPIV3.ParameterObject[];
      const responses = Object.entries(op.responses) as [string, OpenAPIV3.ResponseObject][];
      const success = responses.find(([code, r]) => code.startsWith("2") && r.content?.["application/json"]);
      const media = success?.[1].content?.["application/json"];
      const firstExample = Object.values(media?.examples ?? {})[0] as OpenAPIV3.ExampleObject | undefined;
      const value = media?.example ?? firstExample?.value;
      return [
        {
          id: op.operationId!,
          summary: op.summary!,
          parameters: [...new Set(params.map((p) => p.name))],
          responses: responses.map(([code]) => code),
          ...(success && value !== undefined
            ? { example: { code: success[0], value, fields: fieldsOf(media?.schema as OpenAPIV3.SchemaObject) } }
            : {}),
        },
      ];
    }),
  );
}

const operations = await operationsOf(await loadBundle());

/** Requests that never leave the machine. Everything else is blocked and recorded. */
const isLocal = (url: string): boolean => url.startsWith("file:") || url.startsWith("data:");

interface CspViolation {
  directive: string;
  blocked: string;
}
/** Where the page's init script collects `securitypolicyviolation` events. */
type WithViolations = { __cspViolations: CspViolation[] };

// Not a skip: the docs are a deliverable, and the tests run after `npm run build`.
it("dist/docs/index.html exists (built by `npm run docs`)", () => {
  expect(existsSync(docsHtml), `${docsHtml} is missing: run \`npm run docs\` first`).toBe(true);
});

describe("dist/docs/index.html in headless Chromium, offline", () => {
  let userDataDir: string | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  /** Requests that got past the page and reached the network layer (where the route aborts them). */
  const routed: string[] = [];
  /** Every non-local request the page started, with how it ended ("pending" until it does). */
  const outbound = new Map<Request, string>();
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(docsHtml)) throw new Error(`${docsHtml} is missing: run \`npm run docs\` first`);

    userDataDir = mkdtempSync(join(tmpdir(), "dms-docs-chromium-"));
    // launchPersistentContext: Playwright refuses --user-data-dir in `args`; this is the same thing.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1400, height: 1000 },
    });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      routed.push(url);
      return route.abort("blockedbyclient");
    });
    context.on("request", (request) => {
      if (!isLocal(request.url())) outbound.set(request, "pending");
    });
    context.on("requestfinished", (request) => {
      if (outbound.has(request)) outbound.set(request, "finished");
    });
    context.on("requestfailed", (request) => {
      if (outbound.has(request)) outbound.set(request, request.failure()?.errorText ?? "failed");
    });
    await context.addInitScript(() => {
      const violations: CspViolation[] = [];
      (window as unknown as WithViolations).__cspViolations = violations;
      document.addEventListener("securitypolicyviolation", (e) => {
        violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI });
      });
    });

    page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (error) => pageErrors.push(error.message));
    // The page as a reader first opens it: no fragment, no click, no scroll.
    await page.goto(pathToFileURL(docsHtml).href);
    await page.locator("[id^='operation/']").first().waitFor({ timeout: TIMEOUT });
  }, TIMEOUT);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  const visible = async (locator: Locator): Promise<boolean> => {
    await locator.waitFor({ state: "visible", timeout: 10_000 }).catch(() => undefined);
    return locator.isVisible();
  };

  it("renders every operation of the bundle", { timeout: TIMEOUT }, async () => {
    expect(operations.length).toBeGreaterThan(0);
    const shown = await page.locator("[id^='operation/']").evaluateAll((els) => els.map((el) => el.id));
    expect(shown).toEqual(operations.map((op) => `operation/${op.id}`));
    expect(await page.title()).toBe((await loadRawBundle()).info.title);
  });

  describe.each(operations.map((op) => [op.id, op] as const))("on load, with no click, %s shows", (_id, op) => {
    const section = () => page.locator(`[id="operation/${op.id}"]`);

    it("its summary", { timeout: TIMEOUT }, async () => {
      expect(await visible(section().getByRole("heading", { name: op.summary }))).toBe(true);
    });

    it("each of its parameters", { timeout: TIMEOUT }, async () => {
      for (const name of op.parameters) {
        expect(await visible(section().locator(`td[kind="field"][title="${name}"]`).first()), name).toBe(true);
      }
    });

    it("each of its responses, expanded", { timeout: TIMEOUT }, async () => {
      for (const code of op.responses) {
        const button = section().getByRole("button", { name: new RegExp(`^${code}\\b`) }).first();
        expect(await visible(button), code).toBe(true);
        // A response with a body is open (expandResponses): its fields are on the page.
        if ((await button.getAttribute("aria-expanded")) !== null) {
          expect(await button.getAttribute("aria-expanded"), code).toBe("true");
        }
      }
    });

    it("its example response, and every field of that body, nested ones included", { timeout: TIMEOUT }, async () => {
      if (!op.example) return expect(op.responses.some((code) => code.startsWith("2")), "a success response").toBe(true);
      const samples = section().getByRole("tabpanel").filter({ has: page.locator(".redoc-json") }).first();
      expect(await visible(samples)).toBe(true);
      // The tab open on load is the success response, and it shows the bundle's example verbatim.
      expect(await section().getByRole("tab", { selected: true }).first().innerText()).toBe(op.example.code);
      expect(JSON.parse(await samples.locator(".redoc-json").first().innerText())).toStrictEqual(op.example.value);
      for (const field of op.example.fields) {
        const name = field.split(/\.|\[\]\./).at(-1)!;
        expect(await visible(section().locator(`td[kind="field"][title="${name}"]`).first()), field).toBe(true);
      }
    });
  });

  it("saves the landing view as a screenshot (the README's)", { timeout: TIMEOUT }, async () => {
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    rmSync(screenshotFile, { force: true }); // a file left by an earlier run must not pass for this one
    const png = await page.screenshot({ path: screenshotFile });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])); // PNG signature
    expect(png.readUInt32BE(16)).toBe(1400); // IHDR width: the viewport
    expect(readFileSync(screenshotFile).equals(png)).toBe(true);
    if (process.env.UPDATE_SCREENSHOT === "1") {
      mkdirSync(readmeScreenshotDir, { recursive: true });
      copyFileSync(screenshotFile, join(readmeScreenshotDir, "screenshot.png"));
    }
  });

  it("searches offline", { timeout: TIMEOUT }, async () => {
    // Redoc's search index runs in a worker it builds from its own code (worker-src blob:).
    const target = operations.at(-1)!;
    const search = page.getByPlaceholder("Search...");
    await search.fill(target.summary);
    expect(await visible(page.locator("[data-role='search:results']").getByText(target.summary).first())).toBe(true);
    await search.fill("");
  });

  it("sent nothing to the network, and its CSP blocked only outside requests", { timeout: TIMEOUT }, async () => {
    await page.waitForLoadState("networkidle");
    // Nothing reached the network layer at all...
    expect(routed).toEqual([]);
    // ...because whatever the page tried (Redoc's CDN badge logo) was refused by its own CSP first.
    const attempts = [...outbound].map(([request, outcome]) => ({ url: request.url(), outcome }));
    expect(attempts.filter((a) => !/csp/i.test(a.outcome))).toEqual([]);

    const violations = await page.evaluate(() => (window as unknown as WithViolations).__cspViolations);
    // Allowed: an outside URL refused, and `eval` refused to the search index's feature test
    // (it then indexes without a worker). Never a local script, style, font or image.
    const unexpected = violations.filter((v) => !/^(?:https?|wss?):/.test(v.blocked) && v.blocked !== "eval");
    expect(unexpected).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
