import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { RunEvent } from "../../../../src/conversations/index.js";
import { checkedEvent } from "../../../support/events.js";
import { type ApiHarness, openSession, startApi, TOKEN } from "./harness.js";

type ServerMessage = {
  type: string;
  request_id?: string;
  run_id?: string;
  id?: string | null;
  seq?: number;
  event?: RunEvent;
  state?: string;
  error?: string;
  field?: string;
};

/** A WebSocket client that keeps every message and waits for the ones a test expects. */
async function connect(
  url: string,
  options: ConstructorParameters<typeof WebSocket>[2] = {},
  protocols?: string[],
) {
  const socket = new WebSocket(url, protocols ?? [], options);
  const received: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on("message", (data) => {
    received.push(JSON.parse(data.toString()) as ServerMessage);
    for (const wake of [...waiters]) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  return {
    socket,
    received,
    send: (message: unknown) => socket.send(typeof message === "string" ? message : JSON.stringify(message)),
    /** Resolves with the messages up to the first that matches (from `from` on); fails after 20 s. */
    until(test: (message: ServerMessage) => boolean, from = 0): Promise<ServerMessage[]> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const index = received.findIndex((message, i) => i >= from && test(message));
          if (index < 0) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(received.slice(from, index + 1));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no such message in ${JSON.stringify(received).slice(0, 2000)}`));
        }, 20_000);
        waiters.add(check);
        check();
      });
    },
  };
}

/** The status code an upgrade was refused with. */
function refusedUpgrade(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("open", () => reject(new Error("the upgrade was accepted")));
    socket.once("error", () => {});
  });
}

describe("the HTTP API's WebSocket", () => {
  let api: ApiHarness;
  let url: string;
  const auth = { headers: { authorization: `Bearer ${TOKEN}`, "x-octo-user": "alice" } };
  beforeAll(async () => {
    api = await startApi();
    url = `${api.base.replace(/^http/, "ws")}/ws`;
  });
  afterAll(async () => {
    await api?.close();
  });

  it("takes a message, streams its run, takes the decision and streams the run on to its result", async () => {
    const session = await openSession(api);
    const client = await connect(url, auth);
    client.send({ type: "message", request_id: "m1", session_id: session, text: "draft an NDA contract" });
    const paused = await client.until((m) => m.type === "end");
    expect(paused[0]).toMatchObject({ type: "accepted", request_id: "m1", session_id: session });
    const runId = paused[0]?.run_id as string;
    const events = paused.filter((m) => m.type === "event" && m.id);
    expect(events.map((m) => m.id)).toEqual(events.map((_, i) => `${runId}:${i + 1}`));
    for (const m of events) checkedEvent(m.event as RunEvent);
    expect(paused.at(-1)).toMatchObject({
      type: "end",
      request_id: "m1",
      run_id: runId,
      state: "waiting_approval",
    });
    const asked = events.find((m) => m.event?.type === "approval_requested")?.event as Extract<
      RunEvent,
      { type: "approval_requested" }
    >;

    const from = client.received.length;
    client.send({
      type: "decision",
      request_id: "d1",
      approval_id: asked.approval.approval_id,
      decision: "approve",
    });
    const resumed = await client.until((m) => m.type === "end", from);
    expect(resumed[0]).toMatchObject({ type: "accepted", request_id: "d1", run_id: runId });
    expect(resumed[1]).toMatchObject({ type: "event", id: `${runId}:${events.length + 1}` });
    expect(resumed[1]?.event).toMatchObject({ type: "approval_decided", by: "alice" });
    expect(resumed.at(-2)?.event?.type).toBe("result");
    expect(resumed.at(-1)).toMatchObject({ type: "end", state: "completed" });

    // A follow from a seq on replays the rest of the run, as Last-Event-ID does on a stream.
    const again = client.received.length;
    client.send({ type: "follow", request_id: "f1", run_id: runId, after: events.length });
    const replayed = await client.until((m) => m.type === "end", again);
    expect(replayed.filter((m) => m.type === "event").map((m) => m.id)).toEqual(
      (await api.service.runEvents(runId, { after: events.length })).map((e) => e.id),
    );
    client.socket.close();
  });

  it("answers a bad message with an error naming the field and its request, and stays open", async () => {
    const session = await openSession(api);
    const client = await connect(url, auth);
    client.send("not json");
    client.send({ type: "message", request_id: "bad", session_id: session });
    client.send({ type: "shout", request_id: "odd" });
    client.send({ type: "message", request_id: "nobody", session_id: "thread_nope", text: "hi" });
    client.send({ type: "decision", request_id: "edit", approval_id: "apr_x", decision: "edit" });
    await client.until((m) => m.request_id === "nobody");
    await client.until((m) => m.request_id === "edit");
    // Each is answered on its own (a lookup may answer after a later message's refusal).
    const byRequest = new Map(client.received.map((m) => [m.request_id ?? "-", m]));
    expect(client.received).toHaveLength(5);
    expect(Object.fromEntries(byRequest)).toMatchObject({
      "-": { type: "error", error: "invalid_json" },
      bad: { type: "error", error: "validation_failed", field: "text" },
      odd: { type: "error", error: "validation_failed", field: "type" },
      nobody: { type: "error", error: "not_found" },
      edit: { type: "error", error: "validation_failed", field: "edited_task" },
    });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.close();
  });

  it("refuses an upgrade without the token, and takes it from a browser's subprotocol", async () => {
    expect(await refusedUpgrade(url, {})).toBe(401);
    expect(await refusedUpgrade(url, { authorization: "Bearer wrong-token-0123456789" })).toBe(401);
    const browser = await connect(`${url}?user=bob`, {}, ["octo.v1", `bearer.${TOKEN}`]);
    expect(browser.socket.protocol).toBe("octo.v1");
    const session = await openSession(api, {}, "bob");
    browser.send({ type: "message", request_id: "b1", session_id: session, text: "draft an NDA contract" });
    const done = await browser.until((m) => m.type === "end");
    expect(done.at(-1)).toMatchObject({ state: "waiting_approval" });
    // The turn is bob's, whom the query named: his step waits for his decision.
    const approvals = await api.call("GET", `/approvals?session=${session}`, { user: "bob" });
    expect(await approvals.json()).toMatchObject({ approvals: [{ requester: "bob", agent: "contract" }] });
    browser.socket.close();
    const plain = await fetch(`${api.base}/ws`, { headers: auth.headers });
    expect(plain.status).toBe(426);
  });
});
