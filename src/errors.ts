/**
 * The program's own failures. Each carries a message written for the person who has to act on it;
 * boundaries (boot, HTTP routes, Slack listeners) catch these and show the message as it is. Two kinds:
 * `user` (what was asked cannot be done as asked) and `operational` (something we depend on failed).
 */
export abstract class AppError extends Error {
  abstract readonly code: string;
  abstract readonly kind: 'user' | 'operational';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The person asked for something that cannot be done as asked; the message says what to do instead. */
export abstract class UserError extends AppError {
  readonly kind = 'user';
}

/**
 * The platform, Redis or MongoDB failed us: not the person's doing. `retryable` says whether trying again can
 * help; the message says it in the user's words.
 */
export abstract class OperationalError extends AppError {
  readonly kind = 'operational';
  abstract readonly retryable: boolean;
}

/** The environment does not describe a runnable program; `problems` has one line a variable. */
export class ConfigError extends UserError {
  readonly code = 'config_invalid';

  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

/** The user typed something we cannot use; the message says what was wrong and the form we expect. */
export class InvalidInputError extends UserError {
  readonly code = 'invalid_input';
}

/** The request is well formed but the current state forbids it (a cycle, a lock, a link already there). */
export class RefusedError extends UserError {
  readonly code = 'refused';
}

/** The thing named does not exist (for this team). */
export class NotFoundError extends UserError {
  readonly code = 'not_found';
}
