/**
 * The program's own failures. Each carries a message written for the person who has to act on it;
 * boundaries (boot, HTTP routes, Slack listeners) catch these and show the message as it is.
 */
export abstract class AppError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The environment does not describe a runnable program; `problems` has one line a variable. */
export class ConfigError extends AppError {
  readonly code = 'config_invalid';

  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

/** The user typed something we cannot use; the message says what was wrong and the form we expect. */
export class InvalidInputError extends AppError {
  readonly code = 'invalid_input';
}

/** The request is well formed but the current state forbids it (a cycle, a lock, a link already there). */
export class RefusedError extends AppError {
  readonly code = 'refused';
}

/** The thing named does not exist (for this team). */
export class NotFoundError extends AppError {
  readonly code = 'not_found';
}
