import { describe, expect, it } from "vitest";
import { BoundedMap, createDelivery, USER_LOCALES_CAPACITY } from "../../src/delivery/index.js";

describe("BoundedMap", () => {
  it("keeps at most its capacity, forgetting the least recently used entry", () => {
    const map = new BoundedMap<string, number>(3);
    for (const [key, value] of [
      ["a", 1],
      ["b", 2],
      ["c", 3],
    ] as const)
      map.set(key, value);
    expect(map.get("a")).toBe(1);
    map.set("d", 4);
    expect([...map.keys()]).toEqual(["c", "a", "d"]);
    map.set("c", 5);
    map.set("e", 6);
    expect([...map.entries()]).toEqual([
      ["d", 4],
      ["c", 5],
      ["e", 6],
    ]);
    expect(map.get("a")).toBeUndefined();
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
  });

  it("bounds the per-person locales every adapter keeps", () => {
    const delivery = createDelivery({ approverGroups: [] } as never);
    for (let i = 0; i < USER_LOCALES_CAPACITY + 50; i++) delivery.userLocales.set(`U${i}`, "en");
    expect(delivery.userLocales.size).toBe(USER_LOCALES_CAPACITY);
    expect(delivery.userLocales.has("U0")).toBe(false);
  });
});
