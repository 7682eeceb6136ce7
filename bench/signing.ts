/**
 * Figure 4: AK/SK signatures per second, ours vs the official SDK's `AKSKSigner.sign`.
 *
 * Both sign the same request: GET http://127.0.0.1:8080/v2/{project}/instances/{id}/tasks
 * ?start=1&limit=10 with the headers the official SDK signs (content-type, host, x-project-id,
 * x-sdk-date), and both produce a fresh X-Sdk-Date from the clock on every signature (the
 * official signer does that itself when the header is absent, as in its client).
 *
 *   ours          formatSdkDate(new Date()) + signRequest(prebuilt URL)  — what a fetch middleware does
 *   ours+URL      the same plus `new URL(string)` per signature             — URL parsing charged to us
 *   official      AKSKSigner.sign(httpRequest, BasicCredentials)           — as BaseCredentials calls it
 */
import { performance } from "node:perf_hooks";
import { formatSdkDate, signRequest } from "../src/auth/signer.ts";
import { BENCH_AK, BENCH_PROJECT_ID, BENCH_SK, REFERENCE_INSTANCE } from "./server.ts";
import { gcIfExposed, loadOfficial, loadOfficialSigner, rotate, runIfMain } from "./common.ts";

export const SIGNING_VARIANTS = ["ours", "ours+URL", "official"] as const;
export type SigningVariant = (typeof SIGNING_VARIANTS)[number];

export interface SigningConfig {
  rounds: number;
  opsPerRound: number;
  warmupOps: number;
}

export interface SigningResult {
  /** Per variant: signatures per second of each round (rounds are paired). */
  roundsOpsPerSec: Record<SigningVariant, number[]>;
  config: SigningConfig;
}

const ENDPOINT = "http://127.0.0.1:8080";
const PATH = `/v2/${BENCH_PROJECT_ID}/instances/${REFERENCE_INSTANCE}/tasks`;
const HREF = `${ENDPOINT}${PATH}?start=1&limit=10`;

export async function measureSigning(config: SigningConfig): Promise<SigningResult> {
  const { core } = loadOfficial();
  const AKSKSigner = loadOfficialSigner();
  const credential = new core.BasicCredentials().withAk(BENCH_AK).withSk(BENCH_SK).withProjectId(BENCH_PROJECT_ID);
  const key = { accessKey: BENCH_AK, secretKey: BENCH_SK };
  const url = new URL(HREF);
  const host = url.host;

  // The request as BaseCredentials.processAuthRequest hands it to AKSKSigner.sign.
  const officialRequest = {
    endpoint: `${ENDPOINT}${PATH}`,
    method: "GET",
    headers: { "content-type": "application/json", "X-Project-Id": BENCH_PROJECT_ID },
    queryParams: { start: 1, limit: 10 },
    pathParams: {},
    data: undefined,
  };

  let sink = 0;
  const ops: Record<SigningVariant, () => void> = {
    ours: () => {
      const auth = signRequest(
        {
          method: "GET",
          url,
          headers: {
            "content-type": "application/json",
            host,
            "x-project-id": BENCH_PROJECT_ID,
            "x-sdk-date": formatSdkDate(new Date()),
          },
        },
        key,
      );
      sink += auth.length;
    },
    "ours+URL": () => {
      const u = new URL(HREF);
      const auth = signRequest(
        {
          method: "GET",
          url: u,
          headers: {
            "content-type": "application/json",
            host: u.host,
            "x-project-id": BENCH_PROJECT_ID,
            "x-sdk-date": formatSdkDate(new Date()),
          },
        },
        key,
      );
      sink += auth.length;
    },
    official: () => {
      const headers = AKSKSigner.sign(officialRequest as never, credential) as Record<string, string>;
      sink += headers["Authorization"]!.length;
    },
  };

  // Equivalence check: sign the official signer's exact headers (incl. its X-Sdk-Date) with ours.
  const officialHeaders = AKSKSigner.sign(officialRequest as never, credential) as Record<string, string>;
  const { Authorization: officialAuth, ...signedByOfficial } = officialHeaders;
  const ourAuth = signRequest({ method: "GET", url, headers: signedByOfficial }, key);
  if (ourAuth !== officialAuth) {
    throw new Error(`signers disagree:\n ours     ${ourAuth}\n official ${officialAuth}`);
  }

  for (const v of SIGNING_VARIANTS) for (let i = 0; i < config.warmupOps; i++) ops[v]();

  const roundsOpsPerSec = Object.fromEntries(SIGNING_VARIANTS.map((v) => [v, [] as number[]])) as Record<
    SigningVariant,
    number[]
  >;
  for (let r = 0; r < config.rounds; r++) {
    for (const v of rotate(SIGNING_VARIANTS, r)) {
      const op = ops[v];
      gcIfExposed();
      const t0 = performance.now();
      for (let i = 0; i < config.opsPerRound; i++) op();
      const ms = performance.now() - t0;
      roundsOpsPerSec[v].push((config.opsPerRound * 1000) / ms);
    }
  }
  if (sink === 0) throw new Error("unreachable");
  return { roundsOpsPerSec, config };
}

runIfMain(import.meta.url, measureSigning);
