import { randomUUID } from "node:crypto";
import type { TurnInput } from "../supervisor/index.js";
import { clip, detectLocale, OctoError, type OutputFormat } from "../vocabulary/index.js";
import { settleOverdueApprovals } from "./approvals.js";
import { EventChannel } from "./channel.js";
import type { RunContext, ServiceCore } from "./core.js";
import type { RunEvent } from "./events.js";
import { driveOrRollBack, snapshot } from "./rollback.js";
import { RunEventFactory } from "./run-events.js";
import type { EventStream, SendInput } from "./types.js";
import { validateSend } from "./validation.js";

/**
 * A person's message: refused at once when no run should start from it, else queued behind the
 * thread's other work and run as a new turn of its conversation.
 */
export function sendTurn(core: ServiceCore, input: SendInput): EventStream {
  const channel = new EventChannel<RunEvent>();
  const runId = `run_${randomUUID()}`;
  const locale = detectLocale(input.text ?? "");
  const events = new RunEventFactory(input.threadKey, runId, locale);
  const refused = validateSend(input, {
    maxInputChars: core.settings.maxInputChars,
    defaultFormat: core.settings.defaultFormat,
  });
  if (!refused.ok) {
    core.log.warn(
      { threadKey: input.threadKey, user: input.user, kind: refused.error.code },
      "refused a message",
    );
    channel.push(events.error(refused.error));
    channel.close();
    return channel;
  }
  if (core.work.busy(input.threadKey)) channel.push(events.status("queued"));
  void core.work
    .guarded(input.threadKey, channel, (signal) =>
      runTurn(
        core,
        { threadKey: input.threadKey, runId, locale, requester: input.user, events, channel, signal },
        input,
        refused.value,
      ),
    )
    .finally(() => channel.close());
  return channel;
}

async function runTurn(
  core: ServiceCore,
  run: RunContext,
  input: SendInput,
  valid: { text: string; format: OutputFormat },
): Promise<void> {
  if (!(await settleOverdueApprovals(core, run))) return;
  const pending = await core.store.approvals.pending(run.threadKey);
  const waiting = pending[0];
  if (waiting) {
    core.log.warn(
      { threadKey: run.threadKey, approvalId: waiting.approvalId },
      "message while an approval is pending",
    );
    run.channel.push(
      run.events.error(
        new OctoError("approval_pending", "pending approval", {
          params: { step: waiting.stepId, agent: waiting.agent },
        }),
      ),
    );
    return;
  }

  const turn: TurnInput = {
    run_id: run.runId,
    request: valid.text,
    format: valid.format,
    locale: run.locale,
    requester: input.user,
    started_at: new Date().toISOString(),
    attachments: (input.attachments ?? [])
      .filter((file) => typeof file.text === "string" && file.text.length > 0)
      .map((file) => ({ name: file.name, text: file.text as string })),
  };
  const before = await snapshot(core, run.threadKey);
  await core.store.sessions.beginTurn({
    threadId: run.threadKey,
    platform: input.platform,
    requester: input.user,
    title: clip(valid.text.replace(/\s+/g, " "), 80, ""),
    locale: run.locale,
    format: valid.format,
  });
  core.log.info(
    { threadKey: run.threadKey, runId: run.runId, format: valid.format, locale: run.locale },
    "turn started",
  );
  await driveOrRollBack(core, run, (hooks) => core.runner.startTurn(run.threadKey, turn, hooks), before, {
    platform: input.platform,
    request: {
      text: valid.text,
      format: valid.format,
      attachments: (input.attachments ?? []).map((file) => ({
        name: file.name,
        text: file.text,
        mimeType: file.mimeType,
      })),
    },
  });
}
