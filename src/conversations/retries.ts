import { randomUUID } from "node:crypto";
import { type Queryable, type RetryRequest, RetryStore } from "../store/index.js";
import { OctoError } from "../vocabulary/index.js";
import { EventChannel } from "./channel.js";
import type { RunContext, ServiceCore } from "./core.js";
import type { RunEvent } from "./events.js";
import { errorEvent } from "./run-events.js";
import type { EventStream, RetryInput, SendInput } from "./types.js";

/** How long a failed request can be retried from its error message. */
const RETRY_TTL_SECONDS = 24 * 60 * 60;

/** Keeps a failed request so a retry button can send it again; undefined if it could not be kept. */
export async function offerRetry(
  core: ServiceCore,
  run: RunContext,
  retry: { platform: string; request: RetryRequest },
): Promise<string | undefined> {
  const retryId = `rt_${randomUUID().replaceAll("-", "")}`;
  try {
    await core.store.retries.create(
      {
        retryId,
        threadId: run.threadKey,
        platform: retry.platform,
        requester: run.requester,
        request: retry.request,
      },
      RETRY_TTL_SECONDS,
    );
    return retryId;
  } catch (error) {
    core.log.error({ err: error, threadKey: run.threadKey }, "could not keep the request for a retry");
    return undefined;
  }
}

/**
 * Whether `who` may retry a request of `requester`: the requester, or OCTO_APPROVERS (a person, or a
 * group the adapter vouched for). Anyone else seeing the button must not re-run it in the requester's name.
 */
export function mayRetry(
  requester: string,
  approvers: readonly string[],
  who: Pick<RetryInput, "by" | "approvedVia">,
): boolean {
  return (
    who.by === requester ||
    approvers.includes(who.by) ||
    (who.approvedVia !== undefined && approvers.includes(who.approvedVia))
  );
}

/**
 * Sends a kept request again, as its original requester, when its requester or an approver clicked. The
 * claim commits with the new turn's job, so double clicks and clicks on two replicas start one run, and
 * a click is never lost; a refused click leaves the retry usable.
 */
export function retryRequest(
  core: ServiceCore,
  retryId: string,
  input: RetryInput,
  send: (input: SendInput, claim: (tx: Queryable) => Promise<boolean>, retryId: string) => EventStream,
): EventStream {
  const channel = new EventChannel<RunEvent>();
  const where = { threadKey: input.threadKey ?? "", locale: input.locale ?? ("en" as const) };
  void (async () => {
    const record = await core.store.retries.usable(retryId);
    if (!record) {
      core.log.warn({ retryId, by: input.by }, "retry refused: unknown, used or expired");
      channel.push(errorEvent(new OctoError("retry_unavailable", retryId), where));
      return;
    }
    if (!mayRetry(record.requester, core.settings.approvers, input)) {
      core.log.warn(
        { retryId, threadKey: record.threadId, by: input.by, approvedVia: input.approvedVia },
        "retry refused: not the requester or an approver",
      );
      channel.push(
        errorEvent(
          new OctoError("retry_not_allowed", "not allowed", { params: { requester: record.requester } }),
          where,
        ),
      );
      return;
    }
    core.log.info({ retryId, threadKey: record.threadId, by: input.by }, "retrying a failed request");
    const resent = send(
      {
        platform: record.platform as SendInput["platform"],
        threadKey: record.threadId,
        user: record.requester,
        text: record.request.text,
        format: record.request.format,
        attachments: record.request.attachments,
      },
      async (tx) => (await new RetryStore(tx).claim(retryId)) !== undefined,
      retryId,
    );
    for await (const event of resent) channel.push(event);
  })()
    .catch((error: unknown) => {
      core.log.error({ err: error, retryId }, "retry failed");
      channel.push(errorEvent(error, where));
    })
    .finally(() => channel.close());
  return channel;
}
