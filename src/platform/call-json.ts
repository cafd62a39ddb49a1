import {
  PlatformForbiddenError,
  PlatformNotFoundError,
  PlatformRateLimitError,
  PlatformRejectedError,
  PlatformUnavailableError,
} from './platform-errors.js';

export type JsonRequest = {
  /** Who we talk to, for messages: `Heroku`, `GitHub`. */
  service: string;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  fetch?: typeof fetch;
};

export type JsonAnswer = { status: number; headers: Headers; body: unknown };

/** Without a Retry-After, wait this long after a 429 (Heroku's bucket refills about one call a second). */
const DEFAULT_RATE_LIMIT_WAIT_MS = 5_000;

/** One HTTP call with a deadline; any non-2xx answer or transport failure becomes a typed PlatformError. */
export async function callJson(request: JsonRequest): Promise<JsonAnswer> {
  const doFetch = request.fetch ?? fetch;
  let response: Response;
  let text: string;
  try {
    response = await doFetch(request.url, {
      method: request.method,
      headers:
        request.body === undefined ? request.headers : { ...request.headers, 'Content-Type': 'application/json' },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    text = await response.text();
  } catch (err) {
    throw transportError(request, err);
  }
  const body = parseJson(text);
  if (response.ok) return { status: response.status, headers: response.headers, body };
  throw answerError(request.service, response, body);
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}

function transportError(request: JsonRequest, err: unknown): PlatformUnavailableError {
  const what = `${request.service} ${request.method} ${new URL(request.url).pathname}`;
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return new PlatformUnavailableError(`${what} got no answer within ${request.timeoutMs} ms`, {}, { cause: err });
  }
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const detail = (cause as { code?: string }).code ?? (cause as Error).message ?? String(cause);
  // A write whose answer was lost may have happened: the caller must re-read before trying again.
  return new PlatformUnavailableError(`${what} failed before an answer arrived (${detail})`, {}, { cause: err });
}

function answerError(service: string, response: Response, body: unknown) {
  const { id, message } = (body ?? {}) as { id?: string; message?: string };
  const status = response.status;
  const text = `${service} answered ${status}${id ? ` ${id}` : ''}: ${message ?? response.statusText}`;
  const answer = { status, id, message };
  if (status === 401 || status === 403) {
    if (response.headers.get('x-ratelimit-remaining') === '0') return rateLimited(text, answer, response.headers);
    return new PlatformForbiddenError(text, answer);
  }
  if (status === 404) return new PlatformNotFoundError(text, answer);
  if (status === 429) return rateLimited(text, answer, response.headers);
  if (status >= 500) return new PlatformUnavailableError(text, answer);
  return new PlatformRejectedError(text, answer);
}

/** Heroku documents no Retry-After for v3 but a proxy may send one; GitHub sends a reset time instead. */
function rateLimited(text: string, answer: { status: number; id?: string; message?: string }, headers: Headers) {
  const retryAfter = Number(headers.get('retry-after'));
  const reset = Number(headers.get('x-ratelimit-reset'));
  let waitMs = DEFAULT_RATE_LIMIT_WAIT_MS;
  if (retryAfter > 0) waitMs = retryAfter * 1000;
  else if (reset > 0) waitMs = Math.max(1000, reset * 1000 - Date.now());
  return new PlatformRateLimitError(text, answer, waitMs);
}
