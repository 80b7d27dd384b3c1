import { describe, expect, it } from "vitest";
import { DownloadError, readAttachments } from "../../src/delivery/attachment-download.js";
import {
  type FileRef,
  isBinaryTable,
  isTextLike,
  MAX_ATTACHMENT_BYTES,
  planAttachments,
} from "../../src/delivery/attachments.js";
import type { Logger } from "../../src/log.js";

describe("attachments", () => {
  const ref = (over: Partial<FileRef>): FileRef => ({
    id: "F1",
    name: "file.bin",
    mimeType: undefined,
    fileType: undefined,
    size: 10,
    downloadUrl: "https://files.slack.com/files-pri/T1-F1/download/file",
    ...over,
  });

  it("count text, CSV, TSV, JSON and Markdown as readable, by MIME type, Slack filetype or extension", () => {
    const readable = [
      ref({ mimeType: "text/plain" }),
      ref({ mimeType: "text/csv; charset=utf-8" }),
      ref({ mimeType: "application/json" }),
      ref({ fileType: "markdown" }),
      ref({ fileType: "tsv" }),
      ref({ name: "export.csv", mimeType: "application/vnd.ms-excel" }),
    ];
    for (const file of readable) expect(isTextLike(file)).toBe(true);
    const unreadable = [
      ref({ mimeType: "image/png", name: "a.png" }),
      ref({ mimeType: "application/pdf", fileType: "pdf", name: "r.pdf" }),
      ref({ mimeType: "application/zip", name: "csv.zip" }),
    ];
    for (const file of unreadable) expect(isTextLike(file)).toBe(false);
  });

  it("download at most five readable files of at most 1 MiB each, in order", () => {
    const files = [
      ref({ id: "big", mimeType: "text/csv", size: MAX_ATTACHMENT_BYTES + 1 }),
      ref({ id: "png", mimeType: "image/png" }),
      ref({ id: "nourl", mimeType: "text/plain", downloadUrl: undefined }),
      ...Array.from({ length: 6 }, (_, i) =>
        ref({ id: `t${i}`, mimeType: "text/plain", size: MAX_ATTACHMENT_BYTES }),
      ),
    ];
    const plans = planAttachments(files);
    expect(plans.map((plan) => [plan.file.id, plan.download ? "download" : plan.reason])).toEqual([
      ["big", "too_large"],
      ["png", "not_text"],
      ["nourl", "no_url"],
      ["t0", "download"],
      ["t1", "download"],
      ["t2", "download"],
      ["t3", "download"],
      ["t4", "download"],
      ["t5", "too_many"],
    ]);
  });

  it("read a text file's body, refuse one past the limit whatever it claimed, and go on without failed ones", async () => {
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1).fill(65);
    const bodies: Record<string, () => Response> = {
      ok: () => new Response("\ufeffa,b\n1,2\n"),
      liar: () => new Response(new Blob([big]).stream()),
      declared: () => new Response("x", { headers: { "content-length": String(MAX_ATTACHMENT_BYTES + 1) } }),
      refused: () => {
        throw new DownloadError("http_403");
      },
    };
    const warnings: unknown[] = [];
    const log = {
      info: () => {},
      warn: (fields: unknown) => void warnings.push(fields),
    } as unknown as Logger;
    const reader = {
      platformName: "Test",
      log,
      fetch: async (file: FileRef) => (bodies[file.id ?? ""] as () => Response)(),
    };
    const got = await readAttachments(reader, [
      ref({ id: "ok", name: "a.csv", mimeType: "text/csv" }),
      ref({ id: "liar", name: "b.txt", mimeType: "text/plain", size: 10 }),
      ref({ id: "declared", name: "c.txt", mimeType: "text/plain", size: 10 }),
      ref({ id: "refused", name: "d.txt", mimeType: "text/plain" }),
      ref({ id: "png", name: "e.png", mimeType: "image/png", size: 99 }),
    ]);
    expect(got).toEqual([
      { name: "a.csv", mimeType: "text/csv", size: 11, text: "a,b\n1,2\n" },
      { name: "b.txt", mimeType: "text/plain", size: 10 },
      { name: "c.txt", mimeType: "text/plain", size: 10 },
      { name: "d.txt", mimeType: "text/plain", size: 10 },
      { name: "e.png", mimeType: "image/png", size: 99 },
    ]);
    const reasons = Object.fromEntries(
      (warnings as { file: string; reason: string }[]).map((line) => [line.file, line.reason]),
    );
    expect(reasons).toEqual({ liar: "too_large", declared: "too_large", refused: "http_403" });
  });

  it("download a Parquet table too, and pass its bytes (base64) rather than text", async () => {
    const parquet = ref({ id: "pq", name: "metrics.parquet", mimeType: "application/octet-stream" });
    expect(isBinaryTable(parquet)).toBe(true);
    expect(isBinaryTable(ref({ fileType: "parquet", name: "x" }))).toBe(true);
    expect(isBinaryTable(ref({ mimeType: "application/vnd.apache.parquet", name: "x" }))).toBe(true);
    expect(isBinaryTable(ref({ mimeType: "image/png", name: "a.png" }))).toBe(false);
    expect(planAttachments([parquet])[0]).toMatchObject({ download: true });
    const bytes = new Uint8Array([0x50, 0x41, 0x52, 0x31, 0x00, 0xff, 0x50, 0x41, 0x52, 0x31]);
    const log = { info: () => {}, warn: () => {} } as unknown as Logger;
    const [got] = await readAttachments(
      { platformName: "Test", log, fetch: async () => new Response(bytes) },
      [parquet],
    );
    expect(got).toEqual({
      name: "metrics.parquet",
      mimeType: "application/octet-stream",
      size: 10,
      data: Buffer.from(bytes).toString("base64"),
    });
  });
});
