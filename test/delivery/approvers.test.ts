import { describe, expect, it } from "vitest";
import { ApproverGroups } from "../../src/delivery/approvers.js";
import { silentLogger } from "../../src/log.js";

describe("approver groups", () => {
  it("cache each group's members for the TTL, share concurrent lookups and never cache a failure", async () => {
    let now = 0;
    const asked: string[] = [];
    let failNext = false;
    const lists: Record<string, string[]> = { S0ONE: ["U1"], S0TWO: ["U2"] };
    const groups = new ApproverGroups(
      ["S0ONE", "S0TWO"],
      async (group) => {
        asked.push(group);
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error("An API error occurred: missing_scope"), {
            data: { error: "missing_scope" },
          });
        }
        return lists[group] ?? [];
      },
      silentLogger(),
      (error) => (error as { data: { error: string } }).data.error,
      { ttlMs: 1_000, now: () => now },
    );

    expect(await Promise.all([groups.groupOf("U2"), groups.groupOf("U2")])).toEqual(["S0TWO", "S0TWO"]);
    expect(asked).toEqual(["S0ONE", "S0TWO"]);
    expect(await groups.groupOf("U1")).toBe("S0ONE");
    expect(await groups.groupOf("U3")).toBeUndefined();
    expect(asked).toHaveLength(2);

    lists.S0ONE = [];
    now = 1_000;
    failNext = true;
    expect(await groups.groupOf("U1")).toBeUndefined();
    lists.S0ONE = ["U1"];
    expect(await groups.groupOf("U1")).toBe("S0ONE");
    expect(asked).toEqual(["S0ONE", "S0TWO", "S0ONE", "S0TWO", "S0ONE"]);
  });
});
