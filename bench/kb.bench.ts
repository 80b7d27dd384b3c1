import { randomBytes } from "node:crypto";
import pg from "pg";
import { openStore, type Store } from "../src/store/index.js";
import { KnowledgeBase } from "../src/tools/kb/index.js";
import { percentile, table } from "./stats.js";

/**
 * The search agent's retrieval at 10,000 chunks, without a model: the sample pages plus generated
 * Korean and English chunks, searched with real questions (term extraction, trigram candidates, the
 * ranking and snippets), on PGlite and on Postgres when POSTGRES_URL (or the local server) answers.
 * Also one search over a 1 MiB attachment chunked in memory. Printed, never asserted.
 */

const CHUNKS = 10_000;
const RUNS = 5;
const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test";

const KOREAN = (
  "회사 직원 계약 검토 승인 휴가 연차 보고서 일정 회의 예산 비용 출장 교육 보안 정책 절차 문서 고객 " +
  "제품 서비스 품질 개선 운영 관리 시스템 데이터 분석 결과 목표 성과 평가 신청 처리 기간 담당 부서"
).split(" ");
const ENGLISH = (
  "company employee contract review approval leave report schedule meeting budget cost travel training " +
  "security policy procedure document customer product service quality improvement operations system"
).split(" ");
const ENDINGS = ["은", "는", "을", "를", "에", "의", "와", "로", "에서"];

/** A deterministic generator, so every run searches the same corpus. */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function syntheticChunks(
  count: number,
): { source: string; chunks: { ordinal: number; heading: string; body: string }[] }[] {
  const random = generator(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const documents = [];
  const perDocument = 50;
  for (let doc = 0; doc < count / perDocument; doc += 1) {
    const korean = doc % 2 === 0;
    const chunks = [];
    for (let ordinal = 0; ordinal < perDocument; ordinal += 1) {
      const heading = korean
        ? `${pick(KOREAN)} ${pick(KOREAN)} 안내`
        : `${pick(ENGLISH)} ${pick(ENGLISH)} guide`;
      const sentences = [];
      while (sentences.join(" ").length < 600)
        sentences.push(
          korean
            ? `${pick(KOREAN)}${pick(ENDINGS)} ${pick(KOREAN)} ${pick(KOREAN)}${pick(ENDINGS)} 확인합니다.`
            : `The ${pick(ENGLISH)} ${pick(ENGLISH)} needs a ${pick(ENGLISH)} ${pick(ENGLISH)} first.`,
        );
      chunks.push({ ordinal, heading, body: `${heading}\n\n${sentences.join(" ")}` });
    }
    documents.push({ source: `generated/${korean ? "ko" : "en"}-${doc}.md`, chunks });
  }
  return documents;
}

const QUESTIONS = [
  "연차 휴가는 며칠인가요?",
  "계약서를 검토해 주세요",
  "승인 요청의 만료 시간은?",
  "출장 비용 처리 절차",
  "Can I carry over unused vacation days?",
  "Who may approve a step?",
  "security policy for customer documents",
  "What is the capital of France?",
];

const ms = (value: number) => `${value.toFixed(1)} ms`;
const spread = (values: number[]) => `p50 ${ms(percentile(values, 50))} · p95 ${ms(percentile(values, 95))}`;

async function figures(label: string, store: Store): Promise<void> {
  const kb = new KnowledgeBase(store.knowledge);
  const loadStarted = performance.now();
  await kb.seedIfEmpty();
  const documents = syntheticChunks(CHUNKS - (await kb.count()));
  for (const document of documents) await store.knowledge.replaceDocument(document.source, document.chunks);
  const loadMs = performance.now() - loadStarted;
  const total = await kb.count();
  const rows: [string, string][] = [[`load ${total} chunks (50 per document)`, ms(loadMs)]];
  console.log(`${label}: ${total} chunks loaded in ${ms(loadMs)}`);
  const all: number[] = [];
  for (const question of QUESTIONS) {
    const times: number[] = [];
    let hits = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const started = performance.now();
      hits = (await kb.search(question)).hits.length;
      times.push(performance.now() - started);
    }
    all.push(...times);
    rows.push([`"${question}" (${hits} hits)`, spread(times)]);
  }
  rows.push(["every question", spread(all)]);
  const attachment = syntheticChunks(1_000)
    .flatMap((document) => document.chunks.map((chunk) => chunk.body))
    .join("\n\n")
    .slice(0, 1_048_576);
  const attached: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    await kb.search("출장 비용 처리 절차", { attachments: [{ name: "big.md", text: attachment }] });
    attached.push(performance.now() - started);
  }
  rows.push([
    `with a ${(attachment.length / 1_048_576).toFixed(1)} MiB attachment (chunked per search)`,
    spread(attached),
  ]);
  table(`Knowledge-base search on ${label}, ${RUNS} runs per question`, rows);
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export default async function run(): Promise<void> {
  const pglite = await openStore({});
  try {
    await figures("PGlite (in memory)", pglite);
  } finally {
    await pglite.close();
  }
  const url = process.env.POSTGRES_URL || DEFAULT_URL;
  if (!(await reachable(url))) {
    console.log(`(Postgres at ${new URL(url).host} does not answer: its figures are left out)`);
    return;
  }
  const schema = `octo_bench_${randomBytes(4).toString("hex")}`;
  const postgres = await openStore({ postgresUrl: url, schema, poolMax: 2 });
  try {
    await figures("Postgres", postgres);
  } finally {
    await postgres.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}
