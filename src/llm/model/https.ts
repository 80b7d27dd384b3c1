import { createWriteStream } from "node:fs";
import { rm, stat, truncate } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { sha256File } from "./hash.js";
import type { ModelManifest } from "./manifest.js";
import type { OnModelProgress } from "./progress.js";

export interface HttpsOptions {
  onProgress?: OnModelProgress | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The model's public download, resumable: bytes already in `partial` are kept and the rest asked
 * for with a Range request, so an interrupted download continues where it stopped. The finished
 * file is hashed; a mismatch deletes it (resuming onto bad bytes would never succeed).
 */
export async function downloadHttps(
  manifest: ModelManifest,
  url: string,
  partial: string,
  options: HttpsOptions = {},
): Promise<void> {
  let have = await stat(partial).then(
    (s) => s.size,
    () => 0,
  );
  if (have > manifest.size) {
    await truncate(partial, 0);
    have = 0;
  }
  if (have < manifest.size) {
    const response = await fetch(url, {
      headers: have > 0 ? { range: `bytes=${have}-` } : {},
      redirect: "follow",
      signal: options.signal ?? null,
    });
    if (response.status === 200 && have > 0) {
      // The server ignored the range: start over rather than append a second copy.
      await truncate(partial, 0);
      have = 0;
    } else if (response.status !== 200 && response.status !== 206) {
      await response.body?.cancel();
      throw new Error(`GET ${url} answered ${response.status} ${response.statusText}`);
    }
    if (!response.body) throw new Error(`GET ${url} returned no body`);
    let bytes = have;
    const label = url.split("/").pop() ?? url;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        options.onProgress?.({ source: "https", phase: "download", label, bytes, total: manifest.size });
        callback(null, chunk);
      },
    });
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      counter,
      createWriteStream(partial, { flags: have > 0 ? "a" : "w" }),
      { signal: options.signal },
    );
  }
  const size = (await stat(partial)).size;
  if (size !== manifest.size) {
    throw new Error(`downloaded ${size} bytes, expected ${manifest.size}; run again to resume`);
  }
  const digest = await sha256File(partial, (bytes) =>
    options.onProgress?.({ source: "https", phase: "verify", label: "sha256", bytes, total: manifest.size }),
  );
  if (digest !== manifest.sha256) {
    await rm(partial, { force: true });
    throw new Error(`downloaded file has sha256 ${digest}, expected ${manifest.sha256}; it was deleted`);
  }
}
