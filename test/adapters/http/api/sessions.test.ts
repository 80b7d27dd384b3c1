import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postChunked } from "../../../support/http.js";
import { type ApiHarness, openSession, startApi, TOKEN } from "./harness.js";

const BEARER = { authorization: `Bearer ${TOKEN}` };

interface SessionJson {
  id: string;
  thread_key: string;
  user: string;
  title: string;
  status: string;
  turns: number;
  metadata: Record<string, unknown>;
}

describe("the HTTP API's sessions", () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it("opens a session for the X-Octo-User person, with its title and metadata, and reads it back", async () => {
    const created = await api.call("POST", "/sessions", {
      body: { title: "Vendor review", metadata: { team: "legal", priority: 2 } },
      user: "carol",
    });
    expect(created.status).toBe(201);
    const session = (await created.json()) as SessionJson;
    expect(session).toMatchObject({
      user: "carol",
      title: "Vendor review",
      status: "completed",
      turns: 0,
      metadata: { team: "legal", priority: 2 },
    });
    expect(session.id).toMatch(/^thread_[0-9a-f]{32}$/);
    expect(session.thread_key).toBe(`http:${session.id}`);

    const read = await api.call("GET", `/sessions/${session.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(session);
    // Kept in the store, not in memory: the seed lost its metadata on restart.
    expect((await api.store.sessions.get(session.thread_key))?.metadata).toEqual({
      team: "legal",
      priority: 2,
    });
  });

  it("lists a person's sessions of this API, most recent first, for ?user= or the caller", async () => {
    const first = await openSession(api, { title: "one" }, "dave");
    const second = await openSession(api, { title: "two" }, "dave");
    await openSession(api, { title: "someone else's" }, "erin");
    // A conversation of another platform by the same user id is not this API's.
    await api.store.sessions.beginTurn({
      threadId: "console:dave",
      platform: "console",
      requester: "dave",
      title: "console",
      locale: "en",
      format: "chat",
    });
    const asked = await api.call("GET", "/sessions?user=dave");
    const mine = await api.call("GET", "/sessions", { user: "dave" });
    for (const response of [asked, mine]) {
      expect(response.status).toBe(200);
      const { sessions } = (await response.json()) as { sessions: SessionJson[] };
      expect(sessions.map((s) => s.id)).toEqual([second, first]);
    }
    const limited = (await (await api.call("GET", "/sessions?user=dave&limit=1")).json()) as {
      sessions: SessionJson[];
    };
    expect(limited.sessions.map((s) => s.id)).toEqual([second]);
  });

  it("renames a session, replaces its metadata and marks it done, and forgets it", async () => {
    const id = await openSession(api, { title: "draft" });
    const patched = await api.call("PATCH", `/sessions/${id}`, {
      body: { title: "final", metadata: { done: true }, status: "failed" },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      title: "final",
      metadata: { done: true },
      status: "failed",
    });

    const deleted = await api.call("DELETE", `/sessions/${id}`);
    expect(deleted.status).toBe(204);
    for (const [method, body] of [["GET"], ["PATCH", { title: "x" }], ["DELETE"]] as const) {
      const gone = await api.call(method, `/sessions/${id}`, body ? { body } : {});
      expect(gone.status).toBe(404);
      expect(await gone.json()).toMatchObject({ error: "not_found" });
    }
  });

  it("refuses a bad body with 400 naming the field, and writes nothing", async () => {
    const before = (await api.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM octo_sessions"))
      .rows[0]?.n;
    const cases: [unknown, string][] = [
      [{ title: "x".repeat(201) }, "title"],
      [{ metadata: "not an object" }, "metadata"],
      [{ owner: "someone" }, "body"],
      [[1, 2], "body"],
    ];
    for (const [body, field] of cases) {
      const response = await api.call("POST", "/sessions", { body });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: "validation_failed", field });
    }
    const malformed = await api.call("POST", "/sessions", { body: "{not json" });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: "invalid_json", field: "body" });
    const plain = await api.call("POST", "/sessions", {
      body: "{}",
      headers: { "content-type": "text/plain" },
    });
    expect(plain.status).toBe(415);
    const id = await openSession(api);
    for (const [body, field] of [
      [{}, "body"],
      [{ status: "active" }, "status"],
      [{ title: 5 }, "title"],
    ] as const) {
      const response = await api.call("PATCH", `/sessions/${id}`, { body });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: "validation_failed", field });
    }
    const after = (await api.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM octo_sessions"))
      .rows[0]?.n;
    expect(after).toBe((before ?? 0) + 1);
    expect(api.logs.some((line) => line.msg === "API request refused: invalid")).toBe(true);
  });

  it("refuses a body over the cap with 413, declared or streamed", async () => {
    const big = JSON.stringify({ title: "t", metadata: { blob: "x".repeat(1024 * 1024) } });
    const response = await api.call("POST", "/sessions", { body: big });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "payload_too_large" });
    const bytes = Buffer.from(big);
    const streamed = await postChunked(
      `${api.base}/sessions`,
      [bytes.subarray(0, 600_000), bytes.subarray(600_000)],
      BEARER,
    );
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: "payload_too_large" });
    // A small body sent the same way is read whole.
    const small = await postChunked(
      `${api.base}/sessions`,
      [Buffer.from('{"title":'), Buffer.from('"chunked"}')],
      BEARER,
    );
    expect(small.status).toBe(201);
    expect(JSON.parse(small.body)).toMatchObject({ title: "chunked" });
  });
});
