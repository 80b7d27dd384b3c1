import { ALICE, GENERAL, SlackHarness } from "../test/adapters/slack/harness.js";
import type { RecordedCall } from "../test/emulators/slack/index.js";

/**
 * `npx tsx scripts/slack-calls.ts [auto|card]`: one request ("search for octopus facts and analyze the
 * data", a two-step parallel plan) through the real Bolt app against the Slack emulator (with Agents &
 * AI Apps on) and the scripted model (one second a call), then the Web API calls the emulator recorded, one
 * line each, with the adapter's default spacing of one write a second per message. The
 * README's "Progress" section shows its output.
 */
const mode = process.argv[2] === "card" ? "card" : "auto";

function chunkLine(chunk: Record<string, unknown>): string {
  switch (chunk.type) {
    case "plan_update":
      return `plan_update "${chunk.title}"`;
    case "task_update":
      return `task_update ${chunk.id} ${chunk.status}${chunk.output ? ` "${String(chunk.output).slice(0, 40)}…"` : ""}`;
    case "markdown_text":
      return `markdown_text (${String(chunk.text).length} chars)`;
    default:
      return String(chunk.type);
  }
}

function line(call: RecordedCall): string {
  const { params } = call;
  const chunks = (params.chunks as Record<string, unknown>[] | undefined) ?? [];
  const blocks = (params.blocks as { type: string }[] | undefined) ?? [];
  const parts: string[] = [];
  if (call.method === "chat.startStream")
    parts.push(
      `task_display_mode=${params.task_display_mode} recipient=${params.recipient_user_id}/${params.recipient_team_id}`,
    );
  parts.push(...chunks.map(chunkLine));
  if (call.method.endsWith("Stream") && blocks.length > 0)
    parts.push(`blocks [${blocks.map((b) => b.type).join(", ")}]`);
  if (call.method === "chat.postMessage" || call.method === "chat.update")
    parts.push(`"${String(params.text).slice(0, 70)}"`);
  return `${call.method.padEnd(18)} ${parts.join(" · ")}`;
}

const h = await SlackHarness.start({
  emulator: { seed: { aiApps: true } },
  env: { OCTO_SLACK_PROGRESS: mode },
  adapter: { progressIntervalMs: 1_000 },
  // A model that takes its time, as a real one does, so the steps are seen running.
  service: { scripted: { delayMs: 1_000 } },
});
try {
  const mention = h.emulator.payloads.mention({
    user: ALICE,
    channel: GENERAL,
    text: "search for octopus facts and analyze the data",
  });
  const from = h.emulator.calls.length;
  await h.delivery.event(mention.body);
  await h.idle();
  for (const call of h.emulator.calls.slice(from)) console.log(line(call));
} finally {
  await h.close();
}
