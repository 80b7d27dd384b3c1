import { OctoError } from "../vocabulary/index.js";
import { classifyFailure } from "./failures.js";

/**
 * One model request under our rules: a deadline covering every attempt, retries with exponential
 * backoff and jitter on transient failures, the server's Retry-After honoured, and the caller's
 * abort signal passed through to the provider. Hand-written rather than p-retry or LangChain's
 * AsyncCaller because the wait must be max(backoff, Retry-After) capped by what is left of the
 * deadline, which neither expresses; LangChain's retries are switched off so there is one policy.
 * Nothing waits past the deadline or the caller's abort: a provider call that ignores its signal is left
 * behind (see untilAborted), so a thread's work and shutdown never hang on it.
 */
export interface RequestPolicy {
  provider: string;
  /** Deadline for the request including its retries. */
  timeoutMs: number;
  maxRetries: number;
  /** First backoff step; doubles each retry up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal | undefined;
  onRetry?: (info: { attempt: number; delayMs: number; error: OctoError }) => void;
  /** Time as the policy sees it; tests pass a fake one and assert order and counts, not durations. */
  clock?: PolicyClock | undefined;
}

export interface PolicyClock {
  now(): number;
  /** Resolves after `ms`, rejects when `signal` aborts first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** A signal that aborts when `ms` have passed: the request's deadline. */
  deadline(ms: number): AbortSignal;
}

export const systemClock: PolicyClock = {
  now: () => Date.now(),
  sleep,
  deadline: (ms) => AbortSignal.timeout(ms),
};

export async function runRequest<T>(
  policy: RequestPolicy,
  attempt: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const clock = policy.clock ?? systemClock;
  const started = clock.now();
  const deadline = clock.deadline(policy.timeoutMs);
  const signal = policy.signal ? AbortSignal.any([policy.signal, deadline]) : deadline;
  const baseDelay = policy.baseDelayMs ?? 500;
  const maxDelay = policy.maxDelayMs ?? 8_000;

  for (let retries = 0; ; retries += 1) {
    if (policy.signal?.aborted) throw aborted(policy.provider, policy.signal.reason);
    if (deadline.aborted) throw timedOut(policy);
    try {
      return await untilAborted(attempt(signal), signal);
    } catch (error) {
      // The abort reason, not the error text, says who stopped the request.
      if (policy.signal?.aborted) throw aborted(policy.provider, policy.signal.reason);
      if (deadline.aborted) throw timedOut(policy);
      const failure = classifyFailure(error, policy.provider, clock.now());
      if (!failure.transient || retries >= policy.maxRetries) throw failure.error;
      const backoff = Math.min(maxDelay, baseDelay * 2 ** retries) * (0.5 + Math.random() / 2);
      const delayMs = Math.max(backoff, failure.retryAfterMs ?? 0);
      const left = policy.timeoutMs - (clock.now() - started);
      if (delayMs >= left) throw failure.error;
      policy.onRetry?.({ attempt: retries + 1, delayMs, error: failure.error });
      await clock.sleep(delayMs, signal).catch(() => undefined);
    }
  }
}

/**
 * The attempt's outcome, or the signal's reason as soon as it aborts, whichever comes first. An attempt
 * that ignores the abort may still settle later: its result is dropped and its rejection handled (not an
 * unhandled rejection), since nobody is waiting for it any more.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function aborted(provider: string, reason: unknown): OctoError {
  return new OctoError("llm_aborted", `${provider}: request aborted`, { cause: reason, retryable: false });
}

function timedOut(policy: RequestPolicy): OctoError {
  return new OctoError("llm_timeout", `${policy.provider}: no answer within ${policy.timeoutMs} ms`, {
    retryable: true,
    params: { ms: policy.timeoutMs },
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
