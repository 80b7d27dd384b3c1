import { afterEach, describe, expect, it } from "vitest";
import { HttpHost } from "../../../src/adapters/http/index.js";
import { postChunked } from "../../support/http.js";
import { capturingLogger, type LogLine } from "../../support/logs.js";

describe("the process's one HTTP server", () => {
  let host: HttpHost | undefined;
  const logs: LogLine[] = [];
  const start = (bodyLimitBytes?: number) => {
    logs.length = 0;
    host = new HttpHost({
      host: "127.0.0.1",
      port: 0,
      logger: capturingLogger(logs),
      ...(bodyLimitBytes ? { bodyLimitBytes } : {}),
    });
    return host;
  };
  afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  it("has no reason to listen until a route is mounted, and then serves it beside /healthz", async () => {
    const server = start();
    expect(server.needed).toBe(false);
    expect(server.url).toBeUndefined();
    server.routes.route("POST", "/echo", (request) =>
      Response.json({ bytes: request.body.toString("hex"), type: request.headers.get("content-type") }),
    );
    expect(server.needed).toBe(true);
    const base = await server.listen();
    expect(server.routes.urlOf("/echo")).toBe(`${base}/echo`);

    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, "ok"]);
    // The bytes as sent, not re-encoded: a handler can check a signature over them.
    const raw = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x20, 0x22, 0xff, 0x22, 0x7d]);
    const echoed = await fetch(`${base}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: raw,
    });
    expect(await echoed.json()).toEqual({ bytes: raw.toString("hex"), type: "application/json" });
  });

  it("answers an unknown path or method with a JSON 404", async () => {
    const server = start();
    server.routes.route("POST", "/only-post", () => new Response("yes"));
    const base = await server.listen();
    for (const [method, path] of [
      ["GET", "/nowhere"],
      ["GET", "/only-post"],
      ["POST", "/healthz"],
    ] as const) {
      const response = await fetch(`${base}${path}`, { method });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: "not_found" });
    }
  });

  it("refuses a body over the cap with 413 on every kind of route, before any handler runs", async () => {
    const server = start(1024);
    let reached = 0;
    server.routes.route("POST", "/raw", () => {
      reached++;
      return new Response("ok");
    });
    server.routes.node("POST", "/node", (_req, res) => {
      reached++;
      res.end("ok");
    });
    const base = await server.listen();
    const big = Buffer.alloc(4096, 0x61);
    for (const path of ["/raw", "/node", "/nowhere"]) {
      const response = await fetch(`${base}${path}`, { method: "POST", body: big });
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({ error: "payload_too_large", limit_bytes: 1024 });
    }
    // Without a Content-Length the cap is counted while reading.
    const chunked = await postChunked(`${base}/raw`, [big.subarray(0, 800), big.subarray(800, 1600)]);
    expect(chunked.status).toBe(413);
    expect(reached).toBe(0);
    const small = await fetch(`${base}/raw`, { method: "POST", body: big.subarray(0, 1024) });
    expect(small.status).toBe(200);
    expect(reached).toBe(1);
    expect(logs.filter((line) => line.msg === "HTTP body over the limit")).toHaveLength(4);
  });

  it("hands a node route the untouched Node request and response", async () => {
    const server = start();
    server.routes.node("POST", "/node", (req, res) => {
      const parts: Buffer[] = [];
      req.on("data", (part: Buffer) => parts.push(part));
      req.on("end", () => {
        res.writeHead(201, { "content-type": "text/plain", "x-seen": req.headers["x-custom"] as string });
        res.end(`got ${Buffer.concat(parts).toString()}`);
      });
    });
    const base = await server.listen();
    const response = await fetch(`${base}/node?x=1`, {
      method: "POST",
      headers: { "x-custom": "kept" },
      body: "payload",
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-seen")).toBe("kept");
    expect(await response.text()).toBe("got payload");
  });

  it("answers 503 once a route is unmounted, and serves it again when mounted anew", async () => {
    const server = start();
    const first = server.routes.route("POST", "/events", () => new Response("first"));
    const base = await server.listen();
    expect(() => server.routes.route("POST", "/events", () => new Response("twice"))).toThrow(
      /already mounted/,
    );
    expect(() => server.routes.route("POST", "/late", () => new Response("late"))).toThrow(
      /before the server listens/,
    );
    first.unmount();
    const gone = await fetch(`${base}/events`, { method: "POST" });
    expect(gone.status).toBe(503);
    expect(await gone.json()).toEqual({ error: "unavailable" });
    server.routes.route("POST", "/events", () => new Response("second"));
    expect(await (await fetch(`${base}/events`, { method: "POST" })).text()).toBe("second");
  });

  it("turns a handler's failure into a JSON 500 and a log line, and keeps serving", async () => {
    const server = start();
    server.routes.route("POST", "/broken", () => {
      throw new Error("handler bug");
    });
    server.routes.node("POST", "/broken-node", () => {
      throw new Error("listener bug");
    });
    const base = await server.listen();
    for (const path of ["/broken", "/broken-node"]) {
      const response = await fetch(`${base}${path}`, { method: "POST", body: "{}" });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: "internal" });
    }
    expect(logs.filter((line) => line.msg === "HTTP route failed")).toHaveLength(2);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("says clearly when the port is taken, and stops listening on close", async () => {
    const server = start();
    server.routes.route("GET", "/x", () => new Response("x"));
    const base = await server.listen();
    const port = Number(new URL(base).port);
    const second = new HttpHost({ host: "127.0.0.1", port, logger: capturingLogger([]) });
    second.routes.route("GET", "/x", () => new Response("x"));
    await expect(second.listen()).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\).*PORT/);
    await server.close();
    expect(server.url).toBeUndefined();
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
