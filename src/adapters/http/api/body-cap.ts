import type { MiddlewareHandler } from "hono";

/**
 * Caps request bodies at `maxSize` bytes: a declared Content-Length over it is refused before anything
 * is read (the host does that already), a body sent without one is counted while it is read and
 * refused as soon as it passes the cap. The bytes read are left where Hono's body readers find them
 * (hono/body-limit rebuilds the Request instead, which Node's own Request refuses for the lightweight
 * one @hono/node-server hands us).
 */
export function capBody(maxSize: number, tooLarge: MiddlewareHandler): MiddlewareHandler {
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.header("content-length");
    if (declared !== undefined && !c.req.header("transfer-encoding"))
      return Number(declared) > maxSize ? tooLarge(c, next) : next();
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxSize) {
        await reader.cancel().catch(() => {});
        return tooLarge(c, next);
      }
      chunks.push(value);
    }
    const bytes = Buffer.concat(chunks, size);
    // Hono keeps the promise of each body reading here (its type says the value).
    (c.req.bodyCache as { arrayBuffer?: Promise<ArrayBuffer> }).arrayBuffer = Promise.resolve(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    );
    return next();
  };
}
