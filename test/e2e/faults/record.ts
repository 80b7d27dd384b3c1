import { t } from "../../../src/i18n/index.js";
import type { RecordedCall } from "../../emulators/slack/index.js";

/**
 * Reads what the bot posted, from the emulator's record of Web API calls (what Slack would show), and
 * finds what a person would notice after a fault: a request never answered, an answer posted twice, two
 * progress cards for one run, the same message twice in a thread, answers in the wrong order, an error.
 * Every request carries a unique token, and the scripted model repeats the request in its answer, so each
 * answer is attributed to the request it answers.
 */
export type PostKind = "progress" | "approval" | "answer" | "error" | "notice" | "other";

export interface BotPost {
  seq: number;
  ts: string;
  channel: string;
  threadTs: string;
  kind: PostKind;
  /** The text and the blocks as posted, for attribution and for spotting the same message twice. */
  body: string;
}

/** A request the test sent: the thread it went to and the token its answer must contain. */
export interface SentRequest {
  channel: string;
  threadTs: string;
  token: string;
}

export type ProblemKind =
  | "missing_answer"
  | "extra_answer"
  | "answer_out_of_order"
  | "extra_progress_card"
  | "duplicate_post"
  | "error_posted"
  | "unexpected_post";

export interface Problem {
  kind: ProblemKind;
  threadTs: string;
  detail: string;
}

const PROGRESS_HEADERS = [
  `🐙 ${t("en", "progress.title")}`,
  `✅ ${t("en", "progress.done_title")}`,
  `⚠️ ${t("en", "progress.failed_title")}`,
];
const APPROVAL_HEADER = `✋ ${t("en", "card.approval_title")}`;
const ERROR_LEAD = `⚠️ *${t("en", "error.title")}*`;
const RESTARTING = t("en", "error.restarting");
/**
 * An answer: the scripted model's prompt agents say `The <agent> agent handled "<task>".`
 * (src/llm/scripted.ts); agents with real tools (the contract templates ...) answer in their own words,
 * but every answer opens with the run's summary line ("1/1 completed · ...").
 */
const SCRIPTED_ANSWER = / agent handled /;
const SUMMARY_LINE = new RegExp(`^${t("en", "summary.completed", { count: "\\d+", total: "\\d+" })} · `);

function firstBlockText(blocks: unknown, type: string): string | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const block = blocks.find((b) => (b as { type?: unknown }).type === type) as
    | { text?: { text?: unknown } }
    | undefined;
  const text = block?.text?.text;
  return typeof text === "string" ? text : undefined;
}

/** What kind of message a chat.postMessage call posted. */
export function classifyPost(params: Record<string, unknown>): PostKind {
  const header = firstBlockText(params.blocks, "header");
  if (header !== undefined && PROGRESS_HEADERS.includes(header)) return "progress";
  if (header === APPROVAL_HEADER) return "approval";
  const text = typeof params.text === "string" ? params.text : "";
  const body = `${text}\n${JSON.stringify(params.blocks ?? [])}`;
  if (body.includes(RESTARTING)) return "notice";
  if (firstBlockText(params.blocks, "section")?.startsWith(ERROR_LEAD)) return "error";
  if (SCRIPTED_ANSWER.test(body) || SUMMARY_LINE.test(text)) return "answer";
  return "other";
}

/** Every message the bot posted into a thread (accepted by Slack), in posting order. */
export function botPosts(calls: readonly RecordedCall[]): BotPost[] {
  const posts: BotPost[] = [];
  for (const call of calls) {
    if (call.method !== "chat.postMessage" || call.response.ok !== true) continue;
    const threadTs = call.params.thread_ts;
    const channel = call.params.channel;
    if (typeof threadTs !== "string" || typeof channel !== "string") continue;
    posts.push({
      seq: call.seq,
      ts: String(call.response.ts),
      channel,
      threadTs,
      kind: classifyPost(call.params),
      body: `${String(call.params.text ?? "")}\n${JSON.stringify(call.params.blocks ?? [])}`,
    });
  }
  return posts;
}

/** The message a run's progress card is now (posted, then edited): all its versions' text. */
export function cardVersions(calls: readonly RecordedCall[], card: BotPost): string[] {
  const versions = [card.body];
  for (const call of calls) {
    if (call.method !== "chat.update" || call.response.ok !== true) continue;
    if (call.params.channel !== card.channel || call.params.ts !== card.ts) continue;
    versions.push(`${String(call.params.text ?? "")}\n${JSON.stringify(call.params.blocks ?? [])}`);
  }
  return versions;
}

/** Tokens whose answer has been posted at least once. */
export function answeredTokens(posts: readonly BotPost[], requests: readonly SentRequest[]): Set<string> {
  const answers = posts.filter((post) => post.kind === "answer");
  const done = new Set<string>();
  for (const request of requests) {
    if (answers.some((post) => post.threadTs === request.threadTs && post.body.includes(request.token)))
      done.add(request.token);
  }
  return done;
}

/**
 * Everything wrong with the threads of `requests`: each request answered exactly once, in the order it
 * was sent within its thread, one progress card per request, no message posted twice, no error.
 */
export function auditThreads(posts: readonly BotPost[], requests: readonly SentRequest[]): Problem[] {
  const problems: Problem[] = [];
  const byThread = new Map<string, SentRequest[]>();
  for (const request of requests) {
    const list = byThread.get(request.threadTs) ?? [];
    list.push(request);
    byThread.set(request.threadTs, list);
  }
  for (const [threadTs, sent] of byThread) {
    const inThread = posts.filter((post) => post.threadTs === threadTs);
    const answers = inThread.filter((post) => post.kind === "answer");
    const firstAnswerSeq: number[] = [];
    for (const request of sent) {
      const own = answers.filter((post) => post.body.includes(request.token));
      if (own.length === 0) problems.push({ kind: "missing_answer", threadTs, detail: request.token });
      if (own.length > 1)
        problems.push({ kind: "extra_answer", threadTs, detail: `${request.token} answered ${own.length}x` });
      if (own[0]) firstAnswerSeq.push(own[0].seq);
    }
    if (firstAnswerSeq.some((seq, index) => index > 0 && seq < (firstAnswerSeq[index - 1] ?? 0)))
      problems.push({
        kind: "answer_out_of_order",
        threadTs,
        detail: `sent ${sent.map((r) => r.token).join(",")}`,
      });
    const stray = answers.filter((post) => !sent.some((request) => post.body.includes(request.token)));
    for (const post of stray)
      problems.push({
        kind: "unexpected_post",
        threadTs,
        detail: `answer to nothing sent: ${excerpt(post)}`,
      });
    const cards = inThread.filter((post) => post.kind === "progress").length;
    if (cards > sent.length)
      problems.push({
        kind: "extra_progress_card",
        threadTs,
        detail: `${cards} cards for ${sent.length} request(s)`,
      });
    const seen = new Map<string, number>();
    for (const post of inThread) {
      if (post.kind === "error") problems.push({ kind: "error_posted", threadTs, detail: excerpt(post) });
      if (post.kind === "other") problems.push({ kind: "unexpected_post", threadTs, detail: excerpt(post) });
      // Progress cards and answers are counted above; a card's first version is the same for every run.
      if (post.kind === "progress" || post.kind === "answer") continue;
      seen.set(post.body, (seen.get(post.body) ?? 0) + 1);
    }
    for (const [body, count] of seen)
      if (count > 1)
        problems.push({
          kind: "duplicate_post",
          threadTs,
          detail: `${count}x ${body.split("\n")[0]?.slice(0, 80)}`,
        });
  }
  return problems;
}

export function countByKind(problems: readonly Problem[]): Partial<Record<ProblemKind, number>> {
  const counts: Partial<Record<ProblemKind, number>> = {};
  for (const problem of problems) counts[problem.kind] = (counts[problem.kind] ?? 0) + 1;
  return counts;
}

/** A failure message: counts by kind, then the first problems. */
export function describeProblems(problems: readonly Problem[], limit = 12): string {
  if (problems.length === 0) return "no problems";
  const lines = problems.slice(0, limit).map((p) => `  ${p.kind} in ${p.threadTs}: ${p.detail}`);
  const more = problems.length > limit ? [`  ... ${problems.length - limit} more`] : [];
  return [`${problems.length} problem(s) ${JSON.stringify(countByKind(problems))}`, ...lines, ...more].join(
    "\n",
  );
}

function excerpt(post: BotPost): string {
  return post.body.split("\n")[0]?.slice(0, 120) ?? "";
}
