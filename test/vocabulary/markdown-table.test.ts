import { describe, expect, it } from "vitest";
import { markdownTable, monospaceWidth } from "../../src/vocabulary/index.js";

describe("markdownTable", () => {
  it("escapes pipes and backslashes, keeps each cell on one line and clips long ones", () => {
    expect(
      markdownTable(
        ["a", "b"],
        [
          ["x|y", "line\nbreak"],
          ["c:\\dir", "z".repeat(50)],
          [null, 3],
        ],
        { cellChars: 10 },
      ),
    ).toEqual(["| a | b |", "|---|---|", "| x\\|y | line break |", "| c:\\\\dir | zzzzzzzzz… |", "|  | 3 |"]);
  });

  it("pads for a monospace font, Hangul taking two cells", () => {
    expect(monospaceWidth("서울a")).toBe(5);
    expect(markdownTable(["지역", "n"], [["서울특별시", 1]], { monospace: true })).toEqual([
      "| 지역       | n   |",
      "| ---------- | --- |",
      "| 서울특별시 | 1   |",
    ]);
  });
});
