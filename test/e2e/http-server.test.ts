import { mkdtemp, readFile, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freePort } from "../support/ports.js";
import { startOctostrator } from "./run-octostrator.js";

/** Resolves with the connection's error code, or "connected" if something listens there. */
function probe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

async function logLine(file: string, msg: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = await readFile(file, "utf8").catch(() => "");
    const line = text.split("\n").find((entry) => entry.includes(`"msg":"${msg}"`));
    if (line) return JSON.parse(line) as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no "${msg}" in ${file} within ${timeoutMs} ms`);
}

describe("the HTTP server of npm start", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "octo-e2e-http-"));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("opens no port for the console-only quick start", async () => {
    const port = await freePort();
    const bot = startOctostrator([], { dataDir, keepOpen: true, env: { PORT: String(port) } });
    try {
      await bot.waitFor("Octostrator console");
      // Once "started" is logged every adapter has started and the server would be listening if it were going to.
      const started = await logLine(path.join(dataDir, "logs", "octo.log"), "started");
      expect(started.http).toBe("off");
      expect(await probe(port)).toBe("ECONNREFUSED");
    } finally {
      bot.send("/quit\n");
      await bot.exited;
    }
  });

  it("serves /healthz, /readyz and /metrics on OCTO_ADMIN_PORT alone, even for the console", async () => {
    const [port, adminPort] = [await freePort(), await freePort()];
    const env = { PORT: String(port), HOST: "127.0.0.1", OCTO_ADMIN_PORT: String(adminPort) };
    const bot = startOctostrator([], { dataDir, keepOpen: true, env });
    try {
      await bot.waitFor("Octostrator console");
      const started = await logLine(path.join(dataDir, "logs", "octo.log"), "started");
      expect([started.http, started.admin]).toEqual(["off", `http://127.0.0.1:${adminPort}`]);
      expect(await probe(port)).toBe("ECONNREFUSED");
      const admin = `http://127.0.0.1:${adminPort}`;
      expect(await (await fetch(`${admin}/healthz`)).text()).toBe("ok");
      const ready = await fetch(`${admin}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        ready: true,
        checks: { database: { ok: true, kind: "pglite" }, model: { ok: true }, console: { ok: true } },
      });
      expect(await (await fetch(`${admin}/metrics`)).text()).toMatch(
        /^# TYPE octo_runs_started_total counter$/m,
      );
    } finally {
      bot.send("/quit\n");
      await bot.exited;
    }
  });

  it("serves the run viewer when OCTO_PUBLIC_URL and OCTO_LINK_SECRET are set, and refuses a URL alone", async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      HOST: "127.0.0.1",
      OCTO_PUBLIC_URL: `http://127.0.0.1:${port}`,
      OCTO_LINK_SECRET: "e2e-secret-that-is-at-least-32-chars",
    };
    const bot = startOctostrator([], { dataDir, keepOpen: true, env });
    try {
      await bot.waitFor("Octostrator console");
      const started = await logLine(path.join(dataDir, "logs", "octo.log"), "started");
      expect(started.http).toBe(`http://127.0.0.1:${port}`);
      expect((await fetch(`http://127.0.0.1:${port}/runs/not-a-token`)).status).toBe(403);
      const script = await fetch(`http://127.0.0.1:${port}/viewer/assets/viewer.js`);
      expect([script.status, script.headers.get("content-type")]).toEqual([
        200,
        "text/javascript; charset=utf-8",
      ]);
    } finally {
      bot.send("/quit\n");
      await bot.exited;
    }

    const refused = startOctostrator([], {
      dataDir,
      env: { OCTO_PUBLIC_URL: "https://octo.example.com", OCTO_LINK_SECRET: undefined },
    });
    expect(await refused.exited).toBe(2);
    expect(refused.stderr()).toContain("OCTO_PUBLIC_URL: run links need OCTO_LINK_SECRET");
  });
});
