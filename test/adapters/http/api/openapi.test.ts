import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHarness, startApi } from "./harness.js";

interface Document {
  openapi: string;
  paths: Record<
    string,
    Record<string, { security?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> }>
  >;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

describe("the HTTP API's OpenAPI document", () => {
  let api: ApiHarness;
  let doc: Document;
  beforeAll(async () => {
    api = await startApi();
    doc = (await (await api.call("GET", "/openapi.json", { token: null })).json()) as Document;
  });
  afterAll(async () => {
    await api?.close();
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("describes every route, each behind the bearer token, with the schemas it validates", () => {
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        "POST /api/v1/sessions",
        "GET /api/v1/sessions",
        "GET /api/v1/sessions/{id}",
        "PATCH /api/v1/sessions/{id}",
        "DELETE /api/v1/sessions/{id}",
        "POST /api/v1/sessions/{id}/messages",
        "GET /api/v1/sessions/{id}/checkpoints",
        "POST /api/v1/sessions/{id}/rewind",
        "GET /api/v1/sessions/{id}/runs",
        "GET /api/v1/sessions/{id}/runs/{run_id}/events",
        "GET /api/v1/approvals",
        "POST /api/v1/approvals/{id}",
        "GET /api/v1/ws",
      ].sort(),
    );
    for (const methods of Object.values(doc.paths))
      for (const operation of Object.values(methods)) {
        expect(operation.security).toEqual([{ bearerAuth: [] }]);
        expect(Object.keys(operation.responses)).toContain("401");
      }
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    for (const name of [
      "Session",
      "Message",
      "Decision",
      "Approval",
      "RunEvent",
      "RunResult",
      "RunOutcome",
      "Error",
      "WsClientMessage",
    ])
      expect(Object.keys(doc.components.schemas)).toContain(name);
  });
});
