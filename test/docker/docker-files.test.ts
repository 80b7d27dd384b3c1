import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { builtinModules } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { EnvSchema } from "../../src/config.js";
import { defaultModelPath } from "../../src/llm/index.js";

/**
 * The Docker files, checked without a Docker engine (CI has none): the Dockerfile's install and run
 * steps are the very commands CI runs, every package the code imports is a production dependency (the
 * image installs no others), and docker-compose.yml is structurally sound, with `docker compose config`
 * on top wherever the compose plugin is installed.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

interface Instruction {
  keyword: string;
  args: string;
  stage: string;
}

/** The Dockerfile as instructions (continuations joined, comments dropped), each with its stage's name. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ");
  const out: Instruction[] = [];
  let stage = "";
  for (const line of joined.split("\n")) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, keyword = "", args = ""] = match;
    if (keyword === "FROM") stage = /\sAS\s+(\S+)/i.exec(args)?.[1] ?? `#${out.length}`;
    out.push({ keyword, args: args.trim().replace(/\s+/g, " "), stage });
  }
  return out;
}

/** The argument words of the `npm ci` in a shell script or RUN line. */
function npmCiFlags(text: string): string[] {
  const match = /npm ci((?:\s+--[a-z-]+(?:=[a-z]+)?)*)/.exec(text);
  if (!match) throw new Error("no npm ci");
  return (match[1] ?? "").trim().split(/\s+/).sort();
}

const dockerfile = instructions(read("Dockerfile"));
const packageJson = JSON.parse(read("package.json")) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const runtime = dockerfile.filter((i) => i.stage === "runtime");
/** OCTO_ADMIN_PORT comes with the health branch; until it is merged its checks wait. */
const adminPortKnown = "OCTO_ADMIN_PORT" in EnvSchema.shape;
const adminPortOf = (env: Record<string, string>) =>
  (EnvSchema.parse(env) as Record<string, unknown>).OCTO_ADMIN_PORT;
const envOf = (stage: Instruction[]) =>
  Object.fromEntries(
    stage
      .filter((i) => i.keyword === "ENV")
      .flatMap((i) => [...i.args.matchAll(/([A-Z_]+)=(\S*)/g)].map((m) => [m[1], m[2]])),
  ) as Record<string, string>;

describe("the Dockerfile", () => {
  it("installs as CI does, production dependencies only", () => {
    const install = dockerfile.find((i) => i.keyword === "RUN" && i.args.includes("npm ci"));
    expect(install?.stage).toBe("deps");
    const ci = npmCiFlags(read(".ci/run"));
    expect(npmCiFlags(install?.args ?? "")).toEqual([...ci, "--omit=dev"].sort());
    // The lockfile is what both install from.
    expect(dockerfile).toContainEqual(
      expect.objectContaining({ keyword: "COPY", args: "package.json package-lock.json ./", stage: "deps" }),
    );
  });

  it("runs `npm start`'s own command, with tsx a production dependency", () => {
    const cmd = runtime.find((i) => i.keyword === "CMD");
    expect(JSON.parse(cmd?.args ?? "[]").join(" ")).toBe(packageJson.scripts.start);
    expect(packageJson.scripts.start).toBe("node --import tsx src/main.ts");
    expect(packageJson.dependencies.tsx).toBeDefined();
    expect(packageJson.devDependencies.tsx).toBeUndefined();
  });

  it("needs no dev dependency at run time: every package src/ imports is a production dependency", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (/\.(ts|mjs)$/.test(name)) files.push(file);
      }
    };
    walk(path.join(root, "src"));
    const specifiers = new Set<string>();
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      // TypeScript's own scan: static and dynamic imports and re-exports, never a string that looks like one.
      for (const ref of ts.preProcessFile(text, true, true).importedFiles) specifiers.add(ref.fileName);
      for (const match of text.matchAll(/require(?:\.resolve)?\(\s*"([^"]+)"\s*\)/g))
        specifiers.add(match[1] as string);
    }
    for (const specifier of specifiers) if (specifier.startsWith(".")) specifiers.delete(specifier);
    const packageOf = (specifier: string) =>
      specifier.startsWith("@")
        ? specifier.split("/").slice(0, 2).join("/")
        : (specifier.split("/")[0] as string);
    const external = [...specifiers].filter(
      (s) => !s.startsWith("node:") && !builtinModules.includes(packageOf(s)),
    );
    expect(external.length).toBeGreaterThan(20);
    const missing = [...new Set(external.map(packageOf))].filter((name) => !packageJson.dependencies[name]);
    expect(missing).toEqual([]);
  });

  it("runs as a non-root user, with a health check on /healthz at the admin port", () => {
    const user = runtime.filter((i) => i.keyword === "USER").at(-1)?.args;
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
    const env = envOf(runtime);
    expect(runtime.find((i) => i.keyword === "EXPOSE")?.args.split(" ")).toContain(env.OCTO_ADMIN_PORT);
    const health = runtime.find((i) => i.keyword === "HEALTHCHECK")?.args ?? "";
    expect(health).toContain("/healthz");
    expect(health).toContain("process.env.OCTO_ADMIN_PORT");
    expect(env.OCTO_DATA_DIR).toBe("/data");
    expect(runtime.find((i) => i.keyword === "VOLUME")?.args).toContain("/data");
  });

  it("has a health check command that passes on a 200 from /healthz and fails otherwise", async () => {
    const health = runtime.find((i) => i.keyword === "HEALTHCHECK")?.args ?? "";
    const command = JSON.parse(health.slice(health.indexOf("CMD ") + 4)) as string[];
    expect(command[0]).toBe("node");
    let status = 200;
    const paths: string[] = [];
    const server = createServer((request, response) => {
      paths.push(request.url ?? "");
      response.writeHead(status).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = String((server.address() as AddressInfo).port);
    // Asynchronous, so this process's server can answer the child.
    const probe = (env: Record<string, string>) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, command.slice(1), {
          env: { PATH: process.env.PATH ?? "", ...env },
        });
        const timer = setTimeout(() => child.kill(), 20_000);
        child.on("exit", (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    try {
      expect(await probe({ OCTO_ADMIN_PORT: port })).toBe(0);
      expect(await probe({ OCTO_ADMIN_PORT: "", PORT: port })).toBe(0);
      status = 503;
      expect(await probe({ OCTO_ADMIN_PORT: port })).toBe(1);
      expect(paths).toEqual(["/healthz", "/healthz", "/healthz"]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.skipIf(!adminPortKnown)("sets an admin port the configuration accepts", () => {
    expect(adminPortOf(envOf(runtime))).toBe(9464);
  });

  it("bakes the embedded model only on request, where the app then looks for it", () => {
    const fetch = dockerfile.find((i) => i.keyword === "RUN" && i.args.includes("model:fetch"));
    expect(fetch?.stage).toBe("model");
    expect(packageJson.scripts["model:fetch"]).toBeDefined();
    expect(fetch?.args).toContain('if [ -n "$EMBED_MODEL" ]');
    const dataDir = /OCTO_DATA_DIR=(\S+)/.exec(fetch?.args ?? "")?.[1] as string;
    const baked = defaultModelPath({ dataDir });
    expect(runtime).toContainEqual(
      expect.objectContaining({
        keyword: "COPY",
        args: `--from=model ${path.dirname(baked)} ${path.dirname(baked)}`,
      }),
    );
    // `${EMBED_MODEL:+path}`: the path when the build arg is set, else empty, which counts as unset.
    expect(envOf(runtime).OCTO_MODEL_PATH).toBe(`\${EMBED_MODEL:+${baked}}`);
    expect(EnvSchema.parse({ OCTO_MODEL_PATH: "" }).OCTO_MODEL_PATH).toBeUndefined();
    expect(runtime.some((i) => i.keyword === "ARG" && i.args.startsWith("EMBED_MODEL"))).toBe(true);
  });

  it("copies only from stages defined before, and only what .dockerignore lets in", () => {
    const stages: string[] = [];
    for (const step of dockerfile) {
      if (step.keyword === "FROM") stages.push(step.stage);
      const from = /--from=(\S+)/.exec(step.args)?.[1];
      if (step.keyword === "COPY" && from) expect(stages.slice(0, -1)).toContain(from);
    }
    const ignore = read(".dockerignore")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"));
    expect(ignore[0]).toBe("*");
    const allowed = ignore
      .filter((line) => line.startsWith("!"))
      .map((line) => line.slice(1).replace(/\/$/, ""));
    for (const needed of ["package.json", "package-lock.json", "tsconfig.json", "src", "scripts"]) {
      expect(allowed).toContain(needed);
    }
    for (const secret of [".env", ".git", "node_modules", ".octo", "test"])
      expect(allowed).not.toContain(secret);
    for (const step of dockerfile.filter((i) => i.keyword === "COPY" && !i.args.startsWith("--from"))) {
      const sources = step.args.split(" ").slice(0, -1);
      for (const source of sources) if (source !== ".") expect(allowed).toContain(source.replace(/\/$/, ""));
    }
  });
});

describe("docker-compose.yml", () => {
  const compose = parseYaml(read("docker-compose.yml"), { merge: true }) as {
    services: Record<string, Record<string, unknown>>;
    volumes: Record<string, unknown>;
  };
  const bots = Object.entries(compose.services).filter(([name]) => name.startsWith("octostrator"));

  it("runs Postgres 16 with a health check and a volume", () => {
    const postgres = compose.services.postgres as Record<string, unknown>;
    expect(postgres.image).toBe("postgres:16");
    expect(postgres.healthcheck).toMatchObject({
      test: expect.arrayContaining([expect.stringContaining("pg_isready")]),
    });
    const volumes = postgres.volumes as string[];
    expect(volumes.some((v) => v.endsWith(":/var/lib/postgresql/data"))).toBe(true);
  });

  it("runs the bot on that Postgres, with a second replica behind a profile", () => {
    expect(bots.map(([name]) => name).sort()).toEqual(["octostrator", "octostrator-2"]);
    const known = [...Object.keys(EnvSchema.shape), "OCTO_ADMIN_PORT"];
    for (const [, bot] of bots) {
      expect(bot.build).toMatchObject({ context: "." });
      expect(bot.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
      const environment = bot.environment as Record<string, string>;
      // Only variables the program reads (a misspelt one would be silently ignored).
      for (const name of Object.keys(environment)) expect(known).toContain(name);
      const url = new URL(environment.POSTGRES_URL?.replace(/\$\{[^}]+\}/g, "x") ?? "");
      expect(url.hostname).toBe("postgres");
      if (adminPortKnown) expect(adminPortOf(environment)).toBe(9464);
    }
    expect(compose.services.octostrator?.profiles).toBeUndefined();
    expect(compose.services["octostrator-2"]?.profiles).toEqual(["replicas"]);
    // Two replicas cannot publish the same host port.
    expect(compose.services["octostrator-2"]?.ports).toBeUndefined();
  });

  it("declares every named volume it mounts", () => {
    for (const service of Object.values(compose.services)) {
      for (const mount of (service.volumes as string[] | undefined) ?? []) {
        const source = mount.split(":")[0] as string;
        if (!source.startsWith(".") && !source.startsWith("/"))
          expect(Object.keys(compose.volumes)).toContain(source);
      }
    }
  });

  const hasCompose =
    spawnSync("docker", ["compose", "version"], { stdio: "ignore", timeout: 10_000 }).status === 0;
  it.skipIf(!hasCompose)("passes `docker compose config` (where the compose plugin is installed)", () => {
    const checked = spawnSync("docker", ["compose", "--profile", "replicas", "config", "--quiet"], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(checked.stderr).toBe("");
    expect(checked.status).toBe(0);
  });
});
