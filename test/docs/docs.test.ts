// The rendered reference (dist/docs/index.html, from `npm run docs`) in a real browser with the
// network cut off: it must show the operation, its parameters and the reference page's example,
// and must not even try to reach the network (no CDN logo, no fonts, no telemetry).
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
const OPERATION_TITLE = "List background tasks of an instance";
const PARAMETERS = ["project_id", "instance_id", "start", "limit", "begin_time", "end_time"];

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
    // Redoc routes with the URL hash in a file: page; this is the operation's own page.
    await page.goto(`${pathToFileURL(docsHtml).href}#/background-tasks/listbackgroundtasks`);
    await page.getByRole("heading", { name: OPERATION_TITLE }).waitFor({ timeout: TIMEOUT });
  }, TIMEOUT);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  const visible = async (locator: Locator): Promise<boolean> => {
    await locator.waitFor({ state: "visible", timeout: 10_000 }).catch(() => undefined);
    return locator.isVisible();
  };

  it("shows the operation's title, in the page and in the sidebar", { timeout: TIMEOUT }, async () => {
    expect(await visible(page.getByRole("heading", { name: OPERATION_TITLE }))).toBe(true);
    expect(await visible(page.getByRole("link", { name: new RegExp(`^${OPERATION_TITLE}`) }).first())).toBe(true);
    expect(await page.title()).toBe((await loadRawBundle()).info.title);
  });

  it.each(PARAMETERS)("shows the parameter %s", { timeout: TIMEOUT }, async (name) => {
    const item = page.locator(".schema-property-item").filter({ has: page.getByText(name, { exact: true }) });
    expect(await visible(item.first()), `parameter ${name}`).toBe(true);
  });

  it("shows the reference page's example, verbatim, in the 200 response sample", { timeout: TIMEOUT }, async () => {
    const samples = page.locator(".panel-response-samples");
    // Switching tabs is done by the page's script: it proves the page hydrated under its CSP.
    await samples.getByRole("button", { name: "404", exact: true }).click();
    expect(await visible(samples.getByText("DMS.00404022").first())).toBe(true);
    await samples.getByRole("button", { name: "200", exact: true }).click();

    for (const text of ["ff80808272dcc90f0172df1e490f41b0", "bindInstancePublicIp"]) {
      expect(await visible(samples.getByText(text).first()), text).toBe(true);
    }
    // The whole sample, as the reader sees it, is the example of the bundle (the page's, verbatim).
    const api = await loadRawBundle();
    const reference = api.components?.examples?.ListBackgroundTasksReferencePage as OpenAPIV3.ExampleObject;
    expect(reference?.value).toBeDefined();
    const shown = JSON.parse(await samples.getByTestId("json-viewer").first().innerText()) as unknown;
    expect(shown).toStrictEqual(reference.value);
  });

  it("shows every field of the 200 response body, nested task fields included", { timeout: TIMEOUT }, async () => {
    const api = await loadBundle();
    const op = api.paths["/v2/{project_id}/instances/{instance_id}/tasks"]?.get;
    const body = (op?.responses["200"] as OpenAPIV3.ResponseObject | undefined)?.content?.["application/json"]
      ?.schema as OpenAPIV3.SchemaObject | undefined;
    const tasks = body?.properties?.tasks as OpenAPIV3.ArraySchemaObject | undefined;
    const expected = [
      ...Object.keys(body?.properties ?? {}),
      ...Object.keys((tasks?.items as OpenAPIV3.SchemaObject | undefined)?.properties ?? {}).map((n) => `tasks[].${n}`),
    ];
    expect(expected).toContain("tasks[].id");

    // Redoc renders nested properties once they scroll into view, as in a reader's browser.
    const shownFields = async (): Promise<string[]> => {
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      return page
        .locator(".schema-property-item")
        .evaluateAll((items) =>
          items.map((item) => (item as HTMLElement).innerText.replace(/\u200b/g, "").trim().split(/\s/)[0] ?? ""),
        );
    };
    await expect.poll(shownFields, { timeout: 10_000 }).toEqual(expect.arrayContaining(expected));
  });

  it("saves a full-page screenshot", { timeout: TIMEOUT }, async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    rmSync(screenshotFile, { force: true }); // a file left by an earlier run must not pass for this one
    const png = await page.screenshot({ path: screenshotFile, fullPage: true });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])); // PNG signature
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(1400); // IHDR width: at least the viewport
    expect(png.readUInt32BE(20)).toBeGreaterThan(1000); // IHDR height: taller than the viewport
    expect(readFileSync(screenshotFile).equals(png)).toBe(true);
    if (process.env.UPDATE_SCREENSHOT === "1") {
      mkdirSync(readmeScreenshotDir, { recursive: true });
      copyFileSync(screenshotFile, join(readmeScreenshotDir, "screenshot.png"));
    }
  });

  it("searches offline", { timeout: TIMEOUT }, async () => {
    await page.getByTestId("search-trigger").click();
    await page.getByPlaceholder("Search docs").fill("begin_time");
    const dialog = page.getByTestId("search-dialog");
    expect(await visible(dialog.getByText("query parameters → begin_time"))).toBe(true);
    await page.keyboard.press("Escape");
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
