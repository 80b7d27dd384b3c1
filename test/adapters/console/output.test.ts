import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { threadFolderName, writeFiles } from "../../../src/adapters/console/output.js";

describe("console output folders", () => {
  let dataDir = "";
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it("gives threads whose keys used to share a folder a folder each", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "octo-out-"));
    // Both rules of the old name collide here: `:` became `_`, and keys were cut to 120 characters.
    const pairs = [
      ["console:a", "console_a"],
      [`console:${"x".repeat(130)}1`, `console:${"x".repeat(130)}2`],
    ];
    for (const [first, second] of pairs) {
      expect(threadFolderName(first as string)).not.toBe(threadFolderName(second as string));
    }
    const file = (text: string) => ({
      filename: "report.md",
      mimeType: "text/markdown",
      data: Buffer.from(text),
    });
    const [a] = await writeFiles(dataDir, "console:a", "run_1", [file("first thread")]);
    const [b] = await writeFiles(dataDir, "console_a", "run_1", [file("second thread")]);
    expect(await readFile(a as string, "utf8")).toBe("first thread");
    expect(await readFile(b as string, "utf8")).toBe("second thread");
    expect(await readdir(path.join(dataDir, "out"))).toHaveLength(2);
  });

  it("keeps the folder readable and inside the output folder whatever the key", () => {
    expect(threadFolderName("console:quarterly-sales")).toMatch(/^console_quarterly-sales-[0-9a-f]{16}$/);
    for (const key of ["..", ".", "", "../../etc", "a/b\\c"]) {
      const name = threadFolderName(key);
      expect(name).not.toMatch(/[./\\]/);
      expect(name.length).toBeGreaterThan(16);
    }
    expect(threadFolderName("console:a")).toBe(threadFolderName("console:a"));
  });
});
