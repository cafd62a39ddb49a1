import { NotFoundError } from '../errors.js';
import type { Platform } from '../platform/platform.js';
import { PlatformError, PlatformNotFoundError } from '../platform/platform-errors.js';
import { closestName } from './closest-name.js';

/**
 * Settings, links and locks of an app the platform does not have would look as if they worked: a mistyped lock
 * freezes nothing. So each command that names an app asks the platform first; `known` are the names a typo
 * most likely meant (the team's pipeline apps).
 */
export async function checkAppExists(
  platform: Pick<Platform, 'getApp'>,
  app: string,
  known: () => Promise<Iterable<string>>,
): Promise<string> {
  try {
    await platform.getApp(app);
    return app;
  } catch (err) {
    if (err instanceof PlatformNotFoundError) throw await noSuchApp(app, known);
    // Heroku down or rate-limiting is when people lock apps: a name that could not be checked is taken as given.
    if (err instanceof PlatformError) return app;
    throw err;
  }
}

/** The platform's 404 for `app`, in the user's words, with the nearest known name when there is one. */
export async function noSuchApp(app: string, known: () => Promise<Iterable<string>>): Promise<NotFoundError> {
  const near = closestName(app, await known());
  const hint = near ? ` Did you mean ${near}?` : ' Check the name with `heroku apps`.';
  return new NotFoundError(`There is no app named ${app} on Heroku (or our token cannot see it).${hint}`);
}
