import { InvalidInputError } from '../errors.js';
import { echo } from './echo.js';

/** GitHub's shape: `owner/name`, owner up to 39 characters of letters, digits and dashes. */
const REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

export function parseRepoName(raw: string): string {
  const repo = raw
    .trim()
    .replace(/^https:\/\/github\.com\//, '')
    .replace(/\.git$/, '');
  if (REPO.test(repo) && !repo.endsWith('/.') && !repo.endsWith('/..')) return repo;
  throw new InvalidInputError(
    `"${echo(raw, 60)}" is not a GitHub repository: give it as OWNER/NAME (e.g. acme/myapp).`,
  );
}
