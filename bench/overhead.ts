/**
 * Where does our per-call time go above a bare fetch? A network-free decomposition.
 *
 *   npx tsx bench/overhead.ts [rounds=15]
 *
 * Every variant calls a *modelled* fetch: it builds the `Request` undici's fetch would build
 * (`new Request(input, init)`, including the signal it follows) and resolves with a fresh
 * `Response` holding the seed's example page. The socket work is gone, so what remains is the
 * client-side CPU each layer adds. Variants add one layer at a time:
 *
 *   A  fetch(url, { headers }) + res.json()                          the floor
 *   B  A + our signer (host, x-sdk-date, x-project-id)               = latency.ts "fetch+signer"
 *   C  B + a per-call AbortController and setTimeout, signal passed  (our per-attempt timeout)
 *   D  openapi-fetch + signing middleware + C's signal               (our pipeline, no wrapper)
 *   E  D, but openapi-fetch given a plain-object `Request` class     (prototype of a fix)
 *   F  ours: createBackgroundTasksClient({ fetch: modelled }).listBackgroundTasks()
 *
 * Not part of `npm run bench`; the numbers go into bench/NOTES.md as evidence.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import createClient from "openapi-fetch";
import { formatSdkDate, signRequest } from "../src/auth/signer.ts";
import { BENCH_AK, BENCH_PROJECT_ID, BENCH_SK, REFERENCE_INSTANCE } from "./server.ts";
import { gcIfExposed, loadOurs, ROOT, rotate } from "./common.ts";
import { summarize } from "./stats.ts";

const BASE = "http://127.0.0.1:8080";
const HREF = `${BASE}/v2/${BENCH_PROJECT_ID}/instances/${REFERENCE_INSTANCE}/tasks?start=1&limit=10`;
const BODY = JSON.stringify(
  (JSON.parse(readFileSync(join(ROOT, "generated", "openapi.json"), "utf8")) as {
    components: { examples: Record<string, { value: unknown }> };
  }).components.examples["ListBackgroundTasksReferencePage"]!.value,
);
const RESPONSE_HEADERS = {
  "content-type": "application/json",
  "content-length": String(Buffer.byteLength(BODY)),
  "x-request-id": "bench-1",
};

/** What undici's fetch does before touching the network: build its own Request from the input. */
const modelledFetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  new Request(input, init);
  return Promise.resolve(new Response(BODY, { status: 200, headers: RESPONSE_HEADERS }));
};

const key = { accessKey: BENCH_AK, secretKey: BENCH_SK };
function signedHeaders(url: URL): Record<string, string> {
  const h = { host: url.host, "x-sdk-date": formatSdkDate(new Date()), "x-project-id": BENCH_PROJECT_ID };
  return { ...h, authorization: signRequest({ method: "GET", url, headers: h }, key) };
}

/** Prototype: a Request stand-in for openapi-fetch (it only reads url, method, headers, body, signal). */
class PlainRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal | null;
  readonly redirect: RequestRedirect;
  readonly body = null;
  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.method = init.method ?? "GET";
    this.headers = new Headers(init.headers);
    this.signal = init.signal ?? null;
    this.redirect = init.redirect ?? "follow";
  }
}

function signingMiddleware() {
  return {
    onRequest({ request }: { request: Request }) {
      const url = new URL(request.url);
      const h = signedHeaders(url);
      request.headers.set("X-Sdk-Date", h["x-sdk-date"]!);
      request.headers.set("X-Project-Id", BENCH_PROJECT_ID);
      request.headers.set("Authorization", h["authorization"]!);
      return request;
    },
  };
}

async function withTimeout<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 60_000);
  try {
    return await fn(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyPaths = any;
const PATH = "/v2/{project_id}/instances/{instance_id}/tasks";
const PARAMS = { path: { project_id: BENCH_PROJECT_ID, instance_id: REFERENCE_INSTANCE }, query: { start: 1, limit: 10 } };

const std = createClient<AnyPaths>({ baseUrl: BASE, fetch: modelledFetch as never, headers: { Accept: "application/json" }, redirect: "manual" });
std.use(signingMiddleware());
const plain = createClient<AnyPaths>({
  baseUrl: BASE,
  Request: PlainRequest as never,
  fetch: ((r: PlainRequest) =>
    modelledFetch(r.url, { method: r.method, headers: r.headers, signal: r.signal, redirect: r.redirect })) as never,
  headers: { Accept: "application/json" },
  redirect: "manual",
});
plain.use(signingMiddleware() as never);

const ours = (await loadOurs()).createBackgroundTasksClient({
  endpoint: BASE,
  projectId: BENCH_PROJECT_ID,
  credentials: key,
  fetch: (r: Request) => modelledFetch(r),
});

const VARIANTS: Record<string, () => Promise<unknown>> = {
  "A fetch + json": async () => (await modelledFetch(HREF, { headers: { accept: "application/json" } })).json(),
  "B + signer": async () => {
    const url = new URL(HREF);
    return (await modelledFetch(url, { headers: { ...signedHeaders(url), accept: "application/json" } })).json();
  },
  "C + AbortController/timer": () =>
    withTimeout(async (signal) => {
      const url = new URL(HREF);
      return (await modelledFetch(url, { headers: { ...signedHeaders(url), accept: "application/json" }, signal })).json();
    }),
  "D openapi-fetch (Request)": () => withTimeout(async (signal) => (await std.GET(PATH, { params: PARAMS, signal })).data),
  "E openapi-fetch (plain Request)": () =>
    withTimeout(async (signal) => (await plain.GET(PATH, { params: PARAMS, signal })).data),
  "F ours": () => ours.listBackgroundTasks({ instanceId: REFERENCE_INSTANCE, start: 1, limit: 10 }),
};

const rounds = Number(process.argv[2] ?? 15);
const perRound = 5_000;
const names = Object.keys(VARIANTS);
for (const n of names) {
  const page = (await VARIANTS[n]!()) as { tasks?: { id: string }[] };
  if (page.tasks?.[0]?.id !== "ff80808272dcc90f0172df1e490f41b0") throw new Error(`${n}: bad page`);
  for (let i = 0; i < 5_000; i++) await VARIANTS[n]!();
}
const cpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < rounds; r++) {
  for (const n of rotate(names, r)) {
    const call = VARIANTS[n]!;
    gcIfExposed();
    const c0 = process.cpuUsage();
    for (let i = 0; i < perRound; i++) await call();
    const c = process.cpuUsage(c0);
    cpu[n]!.push((c.user + c.system) / perRound);
  }
}
const floor = summarize(cpu[names[0]!]!).median;
console.log(`client CPU per call (user+system), median of ${rounds} rounds × ${perRound} calls; no network`);
let prev = floor;
for (const n of names) {
  const s = summarize(cpu[n]!);
  console.log(
    `${n.padEnd(34)} ${s.median.toFixed(1).padStart(6)} µs  (p25–p75 ${s.p25.toFixed(1)}–${s.p75.toFixed(1)})  ` +
      `vs A +${(s.median - floor).toFixed(1).padStart(5)}  vs previous ${(s.median - prev >= 0 ? "+" : "") + (s.median - prev).toFixed(1)}`,
  );
  prev = s.median;
}
