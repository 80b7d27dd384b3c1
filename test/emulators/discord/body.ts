import type { IncomingMessage } from "node:http";
import type { UploadedFile } from "./validation.js";

/**
 * A request body as Discord reads it: JSON, or multipart/form-data whose `payload_json` holds the JSON and
 * whose `files[n]` parts hold uploads (name and content type from the part headers).
 */
export interface ParsedBody {
  json: Record<string, unknown>;
  files: UploadedFile[];
  /** Bytes as received (signatures are computed over them). */
  raw: Buffer;
  /** Set when the body could not be read at all (bad JSON, broken form). */
  malformed?: string;
}

export async function readRaw(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function parseBody(contentType: string, raw: Buffer): Promise<ParsedBody> {
  if (raw.length === 0) return { json: {}, files: [], raw };
  if (contentType.startsWith("multipart/form-data")) return parseMultipart(contentType, raw);
  try {
    const parsed = JSON.parse(raw.toString("utf8")) as unknown;
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
      return { json: parsed as Record<string, unknown>, files: [], raw };
    // Bulk command overwrites send an array: keep it under a known key.
    return { json: { _array: parsed }, files: [], raw };
  } catch (error) {
    return { json: {}, files: [], raw, malformed: `bad JSON: ${(error as Error).message}` };
  }
}

async function parseMultipart(contentType: string, raw: Buffer): Promise<ParsedBody> {
  let form: FormData;
  try {
    form = await new Request("http://emulator/", {
      method: "POST",
      headers: { "content-type": contentType },
      body: raw,
    }).formData();
  } catch (error) {
    return { json: {}, files: [], raw, malformed: `bad multipart body: ${(error as Error).message}` };
  }
  let json: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  for (const [field, value] of form) {
    if (typeof value === "string") {
      if (field !== "payload_json") continue;
      try {
        json = JSON.parse(value) as Record<string, unknown>;
      } catch (error) {
        return { json: {}, files: [], raw, malformed: `bad payload_json: ${(error as Error).message}` };
      }
      continue;
    }
    const data = Buffer.from(await value.arrayBuffer());
    const match = /^files\[(\d+)\]$/.exec(field);
    files.push({
      field,
      index: match ? Number(match[1]) : undefined,
      filename: value.name,
      contentType: value.type || undefined,
      size: data.length,
      data,
    });
  }
  return { json, files, raw };
}
