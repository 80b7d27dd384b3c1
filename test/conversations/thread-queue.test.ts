import { describe, expect, it } from "vitest";
import { ThreadQueue } from "../../src/conversations/thread-queue.js";

/** A promise the test resolves when it chooses. */
function gate() {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe("ThreadQueue", () => {
  it("runs one thread's work in the order it was queued, never two at once", async () => {
    const queue = new ThreadQueue();
    const log: string[] = [];
    const first = gate();
    const a = queue.run("t", async () => {
      log.push("a start");
      await first.wait;
      log.push("a end");
      return "a";
    });
    const b = queue.run("t", async () => {
      log.push("b start");
      return "b";
    });
    await Promise.resolve();
    expect(log).toEqual(["a start"]);
    expect(queue.busy("t")).toBe(true);
    first.open();
    expect(await Promise.all([a, b])).toEqual(["a", "b"]);
    expect(log).toEqual(["a start", "a end", "b start"]);
  });

  it("runs different threads in parallel", async () => {
    const queue = new ThreadQueue();
    const held = gate();
    const slow = queue.run("one", () => held.wait.then(() => "one"));
    // Would never settle if "two" waited behind "one".
    expect(await queue.run("two", async () => "two")).toBe("two");
    expect(queue.busy("one")).toBe(true);
    held.open();
    expect(await slow).toBe("one");
  });

  it("passes a failure to its caller and goes on with the thread's next work", async () => {
    const queue = new ThreadQueue();
    const failed = queue.run("t", async () => {
      throw new Error("boom");
    });
    const next = queue.run("t", async () => "after");
    await expect(failed).rejects.toThrow("boom");
    expect(await next).toBe("after");
  });

  it("is idle, and no thread busy, once everything queued has finished", async () => {
    const queue = new ThreadQueue();
    const held = gate();
    let done = false;
    void queue.run("t", () =>
      held.wait.then(() => {
        done = true;
      }),
    );
    const idle = queue.idle();
    held.open();
    await idle;
    expect(done).toBe(true);
    await Promise.resolve();
    expect(queue.busy("t")).toBe(false);
  });
});
