// Bundles the split spec into the single-file artifacts other generators consume.
import { runBin } from "./run-bin.ts";

for (const ext of ["yaml", "json"]) {
  runBin("redocly", ["bundle", "main", "--ext", ext, "--output", `generated/openapi.${ext}`]);
}
