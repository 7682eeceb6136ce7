import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // Everything that needs no mock server: spec fidelity, docs in a browser, signer, client.
        test: {
          name: "unit",
          include: ["test/{spec,docs,auth,client}/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        // Consumers of the bundle: Prism-backed contract tests and other-language generators.
        test: {
          name: "contract",
          include: ["test/contract/**/*.test.ts"],
          globalSetup: ["test/contract/prism-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The packed package installed and used as a consumer would (npm pack, installs, tsc).
        test: {
          name: "package",
          include: ["test/package/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
