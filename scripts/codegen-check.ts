// `npm run codegen:check`: other-language generators must read generated/openapi.yaml without a
// single error, warning or recommendation, and what they produce must compile.
//
//   1. OpenAPI Generator `validate --recommend`: "No validation issues detected." and nothing else.
//   2. OpenAPI Generator `python` and `java` (library `native`): no WARN/ERROR line in the log.
//      The Java sources are compiled with javac when the few jars they need are in ~/.m2 (there is
//      no offline Maven build: the pom's plugins are not cached); swagger-annotations, the only
//      missing dependency, is replaced by a two-annotation stub.
//   3. @hey-api/openapi-ts (fetch client + types + sdk), then `tsc --strict --noEmit` over it and a
//      small typed usage file.
//
// Everything is written under .tmp/codegen/ (ignored by git), wiped first. OpenAPI Generator is the
// jar bundled with @openapitools/openapi-generator-cli 1.0.18-5.0.0-beta2, run with `java -jar`
// (the npm wrapper of newer versions downloads a jar, which fails offline).
// codegenCheck() is also used by test/contract/codegen.test.ts.
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { root } from "./run-bin.ts";

const run = promisify(execFile);

export const OPENAPI_GENERATOR_JAR = "node_modules/@openapitools/openapi-generator-cli/bin/openapi-generator.jar";
export const BUNDLE = "generated/openapi.yaml";
export const PYTHON_PACKAGE = "dms_background_tasks";

export interface Step {
  name: string;
  /** The command as one copy-pasteable line, paths relative to the project root. */
  command: string;
  ms: number;
  /** Set when the step could not run here (not a failure). */
  skipped?: string;
}

export interface CodegenResult {
  outDir: string;
  pythonDir: string;
  javaDir: string;
  /** Compiled Java classes + the jars they need (classpath entries), or undefined if not compiled. */
  javaClasspath: string[] | undefined;
  typescriptDir: string;
  steps: Step[];
}

/** The generator invocations, as arguments after `java -jar <jar>` (outDir relative to the root). */
export function generatorArgs(outDir: string) {
  return {
    validate: ["validate", "-i", BUNDLE, "--recommend"],
    python: ["generate", "-g", "python", "-i", BUNDLE, "-o", `${outDir}/python`, "--package-name", PYTHON_PACKAGE],
    java: [
      "generate", "-g", "java", "--library", "native", "-i", BUNDLE, "-o", `${outDir}/java`,
      "-p", "dateLibrary=java8,openApiNullable=false,hideGenerationTimestamp=true",
    ],
  } as const;
}

/** The @hey-api/openapi-ts configuration (its CLI equivalent is printed too). */
export function heyApiConfig(outDir: string) {
  return {
    // Absolute (or ./-prefixed) path: a bare `generated/openapi.yaml` is read as a Hey API
    // registry shorthand "organization/project" and fetched from the network.
    input: join(root, BUNDLE),
    output: { path: join(root, outDir, "typescript"), tsConfigPath: join(root, outDir, "tsconfig.json") },
    plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
    logs: { level: "silent" as const, file: false }, // its warnings go to console.warn regardless (captured)
  };
}

const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
const line = (cmd: readonly string[]) => cmd.map(quote).join(" ");

async function java(args: readonly string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run("java", ["-jar", OPENAPI_GENERATOR_JAR, ...args], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`openapi-generator ${args[0]} failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

/** Fails on any WARN/ERROR line of a generator log (the output dir is created first, so the
 *  "Output directory does not exist" warning of the ignore-file processor cannot appear). */
function assertCleanLog(name: string, log: string): void {
  const bad = log.split("\n").filter((l) => /\b(WARN|ERROR)\b/.test(l) || /^\s*-?\s*attribute .* is (missing|unexpected)/i.test(l));
  if (bad.length > 0) throw new Error(`${name}: the generator reported problems with the spec:\n${bad.join("\n")}`);
}

/** Jars from the local Maven repository, newest version of each, or the names of the missing ones. */
function mavenJars(coordinates: readonly string[]): { found: string[]; missing: string[] } {
  const repo = join(homedir(), ".m2", "repository");
  const found: string[] = [];
  const missing: string[] = [];
  for (const coordinate of coordinates) {
    const [group, artifact, preferred] = coordinate.split(":") as [string, string, string | undefined];
    const dir = join(repo, ...group.split("."), artifact);
    const versions = existsSync(dir) ? readdirSync(dir).filter((v) => existsSync(join(dir, v, `${artifact}-${v}.jar`))) : [];
    const version = preferred && versions.includes(preferred) ? preferred : versions.sort(compareVersions).at(-1);
    if (version) found.push(join(dir, version, `${artifact}-${version}.jar`));
    else missing.push(coordinate);
  }
  return { found, missing };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

// What the `native` Java client needs besides the JDK (see its pom.xml), one Jackson release line.
const JAVA_DEPENDENCIES = [
  "com.fasterxml.jackson.core:jackson-databind:2.17.2",
  "com.fasterxml.jackson.core:jackson-core:2.17.2",
  "com.fasterxml.jackson.core:jackson-annotations:2.17.2",
  "com.fasterxml.jackson.datatype:jackson-datatype-jsr310:2.17.1",
  "com.google.code.findbugs:jsr305:3.0.2",
  "javax.annotation:javax.annotation-api:1.3.2",
];

const SWAGGER_ANNOTATION_STUBS: Record<string, string> = {
  "ApiModel.java": `package io.swagger.annotations;
import java.lang.annotation.*;
/** Stub of io.swagger:swagger-annotations (not in the offline Maven cache); documentation only. */
@Retention(RetentionPolicy.RUNTIME) @Target(ElementType.TYPE)
public @interface ApiModel { String value() default ""; String description() default ""; }
`,
  "ApiModelProperty.java": `package io.swagger.annotations;
import java.lang.annotation.*;
/** Stub of io.swagger:swagger-annotations (not in the offline Maven cache); documentation only. */
@Retention(RetentionPolicy.RUNTIME) @Target({ElementType.METHOD, ElementType.FIELD})
public @interface ApiModelProperty {
  String value() default ""; String notes() default ""; String example() default ""; boolean required() default false;
}
`,
};

async function listFiles(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(suffix)).map((e) => join(e.parentPath, e.name));
}

/** A TypeScript file using the generated client the way an application would, type-checked with it. */
const TS_USAGE = `import { createClient } from "./typescript/client/index.js";
import {
  deleteBackgroundTask, listBackgroundTasks, showBackgroundTask, showBackgroundTaskProgress,
  type BackgroundTask, type ErrorResponse, type ListBackgroundTasksResponse, type ShowBackgroundTaskProgressResponse, type StepDetail,
} from "./typescript/index.js";

export async function firstTaskId(baseUrl: string, token: string): Promise<string | undefined> {
  const client = createClient({ baseUrl, auth: (auth) => (auth.name === "X-Auth-Token" ? token : undefined) });
  const { data, error } = await listBackgroundTasks({
    client,
    path: { project_id: "0123456789abcdef0123456789abcdef", instance_id: "5b3d8a7e-0f6c-4f0e-9a7e-2b6c1d0e9f11" },
    query: { start: 1, limit: 10, begin_time: "20200623000000", end_time: "20200624000000" },
  });
  if (error) {
    const e: ErrorResponse = error;
    throw new Error(e.error_code);
  }
  const page: ListBackgroundTasksResponse | undefined = data;
  const count: string | undefined = page?.task_count;
  const task: BackgroundTask | undefined = page?.tasks[0];
  const status: string | undefined = task?.status;
  void count;
  void status;
  return task?.id;
}

/** One task, its progress and its deletion: the lifecycle routes, each typed from the spec. */
export async function lifecycle(baseUrl: string, token: string, taskId: string): Promise<number | null | undefined> {
  const client = createClient({ baseUrl, auth: (auth) => (auth.name === "X-Auth-Token" ? token : undefined) });
  const path = { project_id: "0123456789abcdef0123456789abcdef", instance_id: "5b3d8a7e-0f6c-4f0e-9a7e-2b6c1d0e9f11", task_id: taskId };
  const shown = await showBackgroundTask({ client, path });
  const task: BackgroundTask | undefined = shown.data?.tasks[0];
  const progress = await showBackgroundTaskProgress({ client, path });
  const body: ShowBackgroundTaskProgressResponse | undefined = progress.data;
  const step: StepDetail | undefined = body?.step_list?.[0];
  const statue: string | undefined = step?.statue;
  const deleted = await deleteBackgroundTask({ client, path });
  const nothing: void | undefined = deleted.data;
  void task;
  void statue;
  void nothing;
  return step?.end_time;
}

// A step that has not started or finished has null times: the generated type must allow null
// (this line stops compiling if the spec's \`nullable\` is lost).
export const stepTimesAreNullable: null extends StepDetail["start_time"] | StepDetail["end_time"] ? true : false = true;
`;

const TS_CONFIG = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: false,
    types: [],
  },
  include: ["typescript/**/*.ts", "usage.ts"],
};

/**
 * Runs every generator into `outDir` (relative to the project root; wiped first) and checks their
 * output. Throws on the first problem; returns the steps run, with their exact commands.
 */
export async function codegenCheck(
  outDir = ".tmp/codegen",
  log: (message: string) => void = () => {},
): Promise<CodegenResult> {
  const abs = join(root, outDir);
  await rm(abs, { recursive: true, force: true });
  const steps: Step[] = [];
  const step = async <T>(name: string, command: string, fn: () => Promise<T>): Promise<T> => {
    log(`$ ${command}`);
    const t = performance.now();
    const result = await fn();
    steps.push({ name, command, ms: Math.round(performance.now() - t) });
    return result;
  };
  const args = generatorArgs(outDir);
  const jar = (a: readonly string[]) => line(["java", "-jar", OPENAPI_GENERATOR_JAR, ...a]);

  // 1. Validation: exactly "No validation issues detected.", no warnings and no recommendations.
  await step("openapi-generator validate", jar(args.validate), async () => {
    const out = (await java(args.validate)).trim();
    const lines = out.split("\n").map((l) => l.trim()).filter(Boolean);
    const expected = ["Validating spec (generated/openapi.yaml)", "No validation issues detected."];
    if (JSON.stringify(lines) !== JSON.stringify(expected)) {
      throw new Error(`openapi-generator validate reported issues:\n${out}`);
    }
  });

  // 2. Python and Java clients: no WARN/ERROR in the log.
  for (const name of ["python", "java"] as const) {
    await mkdir(join(abs, name), { recursive: true });
    await step(`openapi-generator ${name}`, jar(args[name]), async () => assertCleanLog(name, await java(args[name])));
  }

  // 2b. Compile the Java client with javac, if its dependencies are available offline.
  const javaDir = join(abs, "java");
  let javaClasspath: string[] | undefined;
  const { found, missing } = mavenJars(JAVA_DEPENDENCIES);
  const classes = join(javaDir, "classes");
  const stubs = join(javaDir, "stubs", "io", "swagger", "annotations");
  const javacLine = `javac -d ${relative(root, classes)} -cp <${JAVA_DEPENDENCIES.map((c) => c.split(":")[1]).join(",")} jars> $(find ${outDir}/java/src/main/java -name '*.java') <swagger-annotations stub>`;
  if (missing.length > 0) {
    log(`skipped javac: ${missing.join(", ")} not in ~/.m2`);
    steps.push({ name: "javac", command: javacLine, ms: 0, skipped: `not in ~/.m2: ${missing.join(", ")}` });
  } else {
    await step("javac", javacLine, async () => {
      await mkdir(stubs, { recursive: true });
      for (const [file, source] of Object.entries(SWAGGER_ANNOTATION_STUBS)) await writeFile(join(stubs, file), source);
      const sources = [...(await listFiles(join(javaDir, "src", "main", "java"), ".java")), ...(await listFiles(join(javaDir, "stubs"), ".java"))];
      try {
        await run("javac", ["-nowarn", "-d", classes, "-cp", found.join(":"), ...sources], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string; message: string };
        throw new Error(`javac failed on the generated Java client:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
      }
    });
    javaClasspath = [classes, ...found];
  }

  // 3. TypeScript client with @hey-api/openapi-ts, compiled strictly together with a usage file.
  const config = heyApiConfig(outDir);
  const heyLine = line([
    "node_modules/.bin/openapi-ts", "-i", `./${BUNDLE}`, "-o", `${outDir}/typescript`,
    "-c", "@hey-api/client-fetch", "-p", "@hey-api/typescript", "@hey-api/sdk",
  ]);
  await mkdir(abs, { recursive: true });
  await writeFile(join(abs, "tsconfig.json"), JSON.stringify(TS_CONFIG, null, 2));
  await step("@hey-api/openapi-ts", heyLine, async () => {
    const { createClient } = await import("@hey-api/openapi-ts");
    const warnings: string[] = [];
    const originalWarn = console.warn;
    console.warn = (...a: unknown[]) => void warnings.push(a.map(String).join(" "));
    try {
      await createClient(config as Parameters<typeof createClient>[0]);
    } finally {
      console.warn = originalWarn;
    }
    if (warnings.length > 0) throw new Error(`@hey-api/openapi-ts warned:\n${warnings.join("\n")}`);
  });
  await writeFile(join(abs, "usage.ts"), TS_USAGE);
  const tscArgs = ["-p", `${outDir}/tsconfig.json`];
  await step("tsc --strict", line(["node_modules/.bin/tsc", ...tscArgs]), async () => {
    try {
      await run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), ...tscArgs], { cwd: root });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`tsc failed on the @hey-api/openapi-ts client:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
    }
  });

  return {
    outDir: abs,
    pythonDir: join(abs, "python"),
    javaDir,
    javaClasspath,
    typescriptDir: join(abs, "typescript"),
    steps,
  };
}

// As a script: run the check, print the commands and timings, exit non-zero on failure.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const t = performance.now();
  try {
    const result = await codegenCheck(".tmp/codegen", (m) => console.log(m));
    console.log("\ncodegen:check passed");
    for (const s of result.steps) console.log(`  ${s.skipped ? "SKIPPED" : "ok     "} ${s.name.padEnd(28)} ${s.skipped ?? `${s.ms} ms`}`);
    console.log(`  total ${Math.round(performance.now() - t)} ms; output in ${relative(root, result.outDir)}/ (not committed)`);
  } catch (err) {
    console.error(`\ncodegen:check FAILED\n${(err as Error).message}`);
    process.exit(1);
  }
}
