import { OperationalError } from '../errors.js';

/**
 * A failed call to the platform (or the code host). `platformId` and `status` come from the answer when there
 * was one; `retryable` tells the engine whether trying again can help.
 */
export abstract class PlatformError extends OperationalError {
  readonly status: number | null;
  readonly platformId: string | null;
  /** The platform's own words (its error body's `message`), for showing to the user as they are. */
  readonly platformMessage: string | null;

  constructor(
    message: string,
    answer: { status?: number; id?: string; message?: string } = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.status = answer.status ?? null;
    this.platformId = answer.id ?? null;
    this.platformMessage = answer.message ?? null;
  }
}

/** 404: the app, release or slug does not exist (or this token cannot see it). */
export class PlatformNotFoundError extends PlatformError {
  readonly code = 'platform_not_found';
  readonly retryable = false;
}

/** 401 / 403: the token is missing, wrong, or lacks access. */
export class PlatformForbiddenError extends PlatformError {
  readonly code = 'platform_forbidden';
  readonly retryable = false;
}

/** 400 / 409 / 422 and other 4xx: the platform refused the request as asked. */
export class PlatformRejectedError extends PlatformError {
  readonly code = 'platform_rejected';
  readonly retryable = false;
}

/** 429: wait `retryAfterMs`, then try again; the wait is not the request's fault. */
export class PlatformRateLimitError extends PlatformError {
  readonly code = 'platform_rate_limited';
  readonly retryable = true;
  readonly retryAfterMs: number;

  constructor(message: string, answer: { status?: number; id?: string; message?: string }, retryAfterMs: number) {
    super(message, answer);
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * 5xx, a timeout, a refused connection, or an answer lost on the way back. For a write, the platform may have
 * done it anyway: re-read before trying again.
 */
export class PlatformUnavailableError extends PlatformError {
  readonly code = 'platform_unavailable';
  readonly retryable = true;
}
