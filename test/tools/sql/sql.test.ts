import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SQL_LIMITS, openLockedDatabase } from "../../../src/tools/sql/duckdb.js";
import {
  DuckDbQuerier,
  isSqlError,
  type TableFile,
  type TableSession,
} from "../../../src/tools/sql/index.js";

/** SQL on attached files against real fixtures: what loads, what is profiled, and what may never run. */

const FIXTURES = path.join(import.meta.dirname, "../../fixtures/data");
const fixture = async (name: string): Promise<TableFile> => ({
  name,
  text: await readFile(path.join(FIXTURES, name), "utf8"),
});

const querier = new DuckDbQuerier({ maxRows: 3, timeoutMs: 2_000 });
let outside: string;
let secret: string;
beforeAll(async () => {
  outside = await mkdtemp(path.join(os.tmpdir(), "octo-sql-test-"));
  secret = path.join(outside, "secret.csv");
  await writeFile(secret, "password\nhunter2\n");
});
afterAll(() => rm(outside, { recursive: true, force: true }));

async function refusal(promise: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isSqlError(error)) return { kind: error.kind, message: error.message };
    throw error;
  }
  throw new Error("expected an SqlError");
}

describe("profiles", () => {
  it("profiles a Korean CSV exactly: rows, types, empty cells, distinct values, min, max, mean", async () => {
    const session = await querier.open([await fixture("sales-ko.csv")]);
    try {
      const [table] = session.tables;
      expect(table).toMatchObject({ table: "sales_ko", file: "sales-ko.csv", format: "csv", rows: 6 });
      expect(table?.columns).toEqual([
        { name: "지역", type: "VARCHAR", nulls: 0, distinct: 3, min: "대구", max: "서울", mean: undefined },
        { name: "매출", type: "BIGINT", nulls: 1, distinct: 5, min: "450", max: "1500", mean: 990 },
        {
          name: "주문일",
          type: "DATE",
          nulls: 0,
          distinct: 6,
          min: "2024-01-05",
          max: "2024-03-15",
          mean: undefined,
        },
        {
          name: "담당자",
          type: "VARCHAR",
          nulls: 1,
          distinct: 3,
          min: "김민수",
          max: "이서연",
          mean: undefined,
        },
      ]);
    } finally {
      await session.close();
    }
  });

  it("loads TSV with quoted fields, JSON and Parquet beside it, each its own table", async () => {
    const parquet = await parquetFile();
    const session = await querier.open([await fixture("orders.tsv"), await fixture("scores.json"), parquet]);
    try {
      expect(session.tables.map((table) => [table.table, table.format, table.rows])).toEqual([
        ["orders", "tsv", 4],
        ["scores", "json", 3],
        ["metrics", "parquet", 4],
      ]);
      expect(session.tables[0]?.columns.map((column) => [column.name, column.type, column.distinct])).toEqual(
        [
          ["order_id", "BIGINT", 4],
          ["product", "VARCHAR", 3],
          ["qty", "BIGINT", 4],
          ["price", "DOUBLE", 3],
        ],
      );
      expect(session.tables[1]?.columns.find((column) => column.name === "score")).toMatchObject({
        nulls: 1,
        mean: 81.25,
      });
      const joined = await session.query(
        "SELECT product, sum(qty * price) AS total FROM orders GROUP BY product ORDER BY total DESC",
      );
      expect(joined).toMatchObject({
        columns: ["product", "total"],
        types: ["VARCHAR", "DOUBLE"],
        rows: [
          ["book", 36.75],
          ["pen", 15],
          ["pen, blue", 8.75],
        ],
        truncated: false,
      });
      expect((await session.query("SELECT sum(v) FROM metrics")).rows).toEqual([[100]]);
    } finally {
      await session.close();
    }
  });

  it("names tables after their files, uniquely and as identifiers", async () => {
    const session = await querier.open([
      { name: "매출 2024.csv", text: "a\n1\n" },
      { name: "매출.csv", text: "a\n1\n" },
      { name: "../../etc/passwd.csv", text: "a\n1\n" },
      { name: "passwd.csv", text: "a\n1\n" },
    ]);
    expect(session.tables.map((table) => table.table)).toEqual(["t_2024", "table2", "etc_passwd", "passwd"]);
    await session.close();
  });
});

describe("queries", () => {
  let session: TableSession;
  beforeAll(async () => {
    session = await querier.open([await fixture("sales-ko.csv")]);
  });
  afterAll(() => session.close());

  it("keeps at most the row limit and says more existed", async () => {
    const result = await session.query(
      'SELECT "지역", "매출" FROM sales_ko ORDER BY "매출" DESC NULLS LAST;',
    );
    expect(result.rows).toEqual([
      ["서울", 1500],
      ["서울", 1200],
      ["부산", 1000],
    ]);
    expect(result.truncated).toBe(true);
    expect((await session.query("SELECT count(*) AS n FROM sales_ko")).rows).toEqual([[6]]);
  });

  it("accepts WITH, FROM-first and leading comments, and runs them as they are", async () => {
    expect(
      (await session.query('-- the total\nWITH t AS (SELECT sum("매출") AS s FROM sales_ko) SELECT s FROM t'))
        .rows,
    ).toEqual([[4950]]);
    expect((await session.query("FROM sales_ko SELECT count(*) WHERE \"담당자\" = 'a--b'")).rows).toEqual([
      [0],
    ]);
  });

  it.each([
    ["INSERT INTO sales_ko VALUES ('x', 1, '2024-01-01', 'y')", /not "INSERT"/],
    ["DELETE FROM sales_ko", /not "DELETE"/],
    ["DROP TABLE sales_ko", /not "DROP"/],
    ["CREATE TABLE copy AS SELECT * FROM sales_ko", /not "CREATE"/],
    ['UPDATE sales_ko SET "매출" = 0', /not "UPDATE"/],
    ["COPY sales_ko TO '/tmp/out.csv'", /not "COPY"/],
    ["ATTACH '/tmp/x.db'", /not "ATTACH"/],
    ["INSTALL httpfs", /not "INSTALL"/],
    ["PRAGMA version", /not "PRAGMA"/],
    ["SET enable_external_access = true", /not "SET"/],
    ["WITH x AS (SELECT 1) INSERT INTO sales_ko SELECT * FROM sales_ko", /not INSERT/],
    ["SELECT 1; DROP TABLE sales_ko", /only one statement/],
  ])("refuses %j before it runs", async (sql, message) => {
    expect(await refusal(session.query(sql))).toMatchObject({
      kind: "refused",
      message: expect.stringMatching(message),
    });
    expect((await session.query("SELECT count(*) FROM sales_ko")).rows).toEqual([[6]]);
  });

  it.each([
    ["   ", "the query is empty"],
    ["Sales_ko.csv", 'not a SQL query: it starts with "Sales_ko.csv"'],
    ["가장 많이 팔린 지역", 'not a SQL query: it starts with "가장"'],
  ])("reports %j as a wrong query, not a refused one: it writes nothing", async (sql, message) => {
    expect(await refusal(session.query(sql))).toEqual({ kind: "query", message });
  });

  it("cannot read any file from a SELECT", async () => {
    for (const sql of [
      `SELECT * FROM read_csv('${secret}')`,
      `SELECT * FROM '${secret}'`,
      "SELECT * FROM read_text('/etc/passwd')",
      `SELECT * FROM glob('${outside}/*')`,
      "SELECT * FROM read_parquet('https://example.com/x.parquet')",
    ])
      expect(await refusal(session.query(sql)), sql).toMatchObject({
        kind: "query",
        message: expect.stringMatching(/^Permission Error/),
      });
  });

  it("stops a query at the time limit, and the session carries on", async () => {
    const slow = new DuckDbQuerier({ timeoutMs: 200 });
    const own = await slow.open([{ name: "n.csv", text: "n\n1\n" }]);
    try {
      expect(await refusal(own.query("SELECT max(i) FROM range(10000000000) t(i)"))).toEqual({
        kind: "timeout",
        message: "stopped at the 200 ms time limit",
      });
      expect((await own.query("SELECT n FROM n")).rows).toEqual([[1]]);
    } finally {
      await own.close();
    }
  });

  it("stops a query at the memory limit", async () => {
    // A time limit far off, so that on a loaded machine the memory cap, not the clock, stops it.
    const patient = new DuckDbQuerier({ timeoutMs: 120_000 });
    const own = await patient.open([{ name: "n.csv", text: "n\n1\n" }]);
    try {
      expect(
        await refusal(
          own.query("SELECT count(*) FROM (SELECT DISTINCT i::VARCHAR || 'x' FROM range(100000000) t(i))"),
        ),
      ).toMatchObject({
        kind: "limits",
        message: expect.stringMatching(/^Out of Memory Error/),
      });
    } finally {
      await own.close();
    }
  });

  it("reports an ordinary SQL error plainly", async () => {
    expect(await refusal(session.query("SELECT nope FROM sales_ko"))).toMatchObject({
      kind: "query",
      message: expect.stringMatching(/^Binder Error: Referenced column "nope" not found/),
    });
  });
});

describe("the lock-down itself", () => {
  it("holds against statements no session would let through", async () => {
    const { instance, connection } = await openLockedDatabase(
      [{ name: "t.csv", text: "a\n1\n" }],
      DEFAULT_SQL_LIMITS,
    );
    const written = path.join(outside, "out.csv");
    try {
      for (const sql of [
        `SELECT * FROM read_csv('${secret}')`,
        `COPY t TO '${written}'`,
        `COPY t TO '${path.join(os.tmpdir(), "octo-escape.csv")}'`,
        "COPY t TO 'relative.csv'",
        `ATTACH '${path.join(outside, "x.duckdb")}' AS x`,
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SET allowed_directories = ['/']",
        "SET lock_configuration = false",
        `SET temp_directory = '${outside}'`,
      ]) {
        const failure = await connection.run(sql).then(
          () => undefined,
          (error: Error) => error.message,
        );
        expect(failure, sql).toMatch(/Permission Error|configuration has been locked|disabled/);
      }
      await expect(stat(written)).rejects.toThrow();
      await expect(stat("relative.csv")).rejects.toThrow();
      expect((await connection.runAndReadAll("SELECT count(*) FROM t")).getRowsJson()).toEqual([["1"]]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe("bad files", () => {
  it.each([
    ["broken-fields.csv", "broken-fields.csv is not valid CSV: line 3 has 2 field(s), the header has 3"],
    ["broken-quote.csv", "broken-quote.csv is not valid CSV: the quoted field on line 3 never closes"],
  ])("refuses %s with the line that is wrong", async (name, message) => {
    expect(await refusal(querier.open([await fixture(name)]))).toEqual({ kind: "load", message });
  });

  it("refuses empty, binary, unread and unknown files, and too many of them", async () => {
    expect(await refusal(querier.open([{ name: "e.csv", text: "\n\n" }]))).toMatchObject({
      message: "e.csv is empty",
    });
    expect(await refusal(querier.open([{ name: "b.csv", text: "a,b\n\u0000\u0001,2\n" }]))).toMatchObject({
      message: "b.csv is not a text file (it holds NUL bytes)",
    });
    expect(await refusal(querier.open([{ name: "big.csv", text: "", unread: "too_large" }]))).toMatchObject({
      message: "big.csv was not read (too_large)",
    });
    expect(await refusal(querier.open([{ name: "j.json", text: "{not json" }]))).toMatchObject({
      kind: "load",
      message: expect.stringMatching(/^j\.json could not be read as JSON: /),
    });
    expect(await refusal(querier.open([{ name: "notes.txt", text: "hello" }]))).toMatchObject({
      kind: "load",
    });
    const many = Array.from({ length: 6 }, (_, index) => ({ name: `t${index}.csv`, text: "a\n1\n" }));
    expect(await refusal(querier.open(many))).toMatchObject({ kind: "limits" });
  });

  it("reads a semicolon CSV as Excel writes it where the decimal mark is a comma", async () => {
    const session = await querier.open([{ name: "eu.csv", text: "name;amount\nA;1\nB;2\n" }]);
    expect(session.tables[0]?.columns.map((column) => column.name)).toEqual(["name", "amount"]);
    await session.close();
  });
});

/** A Parquet file made by DuckDB itself, in a scratch database that is not locked down. */
async function parquetFile(): Promise<TableFile> {
  const file = path.join(outside, "metrics.parquet");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT i AS k, i * 10 AS v FROM range(1, 5) t(i)) TO '${file}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
  return { name: "metrics.parquet", text: "", bytes: new Uint8Array(await readFile(file)) };
}
