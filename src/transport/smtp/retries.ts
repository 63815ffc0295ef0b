/**
 * Retrying what may work later: only errors whose exit code is 75 (TEMPORARY_FAILURE,
 * NETWORK_FAILED: 4xx replies, timeouts, refused or dropped connections). A 5xx refusal, a
 * rejected login or certificate fails at once: trying again would only repeat it (and a
 * rejected password tried again can lock the account).
 */
import { EXIT_CODES, isIfaxError } from '../../errors.js';

export interface RetryOptions {
  /** Further attempts after the first (0 = no retry). */
  retries: number;
  /** Base delays in ms: attempt n waits delays[n-1], the last one doubled for each attempt past the list. Default [5000]. */
  delays?: number[];
  /** Injectable for tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Told before each retry (for -v output). */
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void;
}

/** The wait before retry `attempt` (1-based): the listed delay, else exponential from the last. */
export function retryDelay(attempt: number, delays: number[]): number {
  const list = delays.length ? delays : [5000];
  if (attempt <= list.length) return list[attempt - 1];
  return list[list.length - 1] * 2 ** (attempt - list.length);
}

/** True for the errors worth another try (exit code 75). */
export function isRetryable(err: unknown): boolean {
  return isIfaxError(err) && EXIT_CODES[err.code] === 75;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Run `fn`, retrying temporary failures with backoff; the last error is thrown as it is. */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= options.retries || !isRetryable(err)) throw err;
      const delay = retryDelay(attempt + 1, options.delays ?? []);
      options.onRetry?.(attempt + 1, delay, err);
      await sleep(delay);
    }
  }
}
