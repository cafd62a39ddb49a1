import { InvalidInputError } from '../errors.js';
import { echo } from './echo.js';

/** Heroku's own rule for app names (the Platform API schema's `app.name` pattern). */
const APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;
export const APP_NAME_RULE =
  'app names are 3-30 characters: lowercase letters, digits and dashes, starting with a letter and not ending with a dash';

const QUOTES = /^['"`\u2018\u2019\u201c\u201d]+|['"`\u2018\u2019\u201c\u201d]+$/g;

/** Returns the name when Heroku would accept it; otherwise says the rule (and echoes a bounded piece of the input). */
export function parseAppName(raw: string): string {
  // People paste names quoted ('myapp-staging', “myapp”) and capitalised; Heroku's names are lowercase.
  const typed = raw.trim().replace(QUOTES, '');
  const name = typed.toLowerCase();
  if (APP_NAME.test(name)) return name;
  const shown = echo(typed);
  throw new InvalidInputError(`"${shown}" is not a valid app name: ${APP_NAME_RULE}.`);
}
