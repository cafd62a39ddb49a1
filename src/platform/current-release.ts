import type { Platform, Release } from './platform.js';
import { PlatformNotFoundError } from './platform-errors.js';

/** The release an app runs now, from a newest-first list: the one marked current, else the newest. */
export function currentOf(releases: readonly Release[]): Release | undefined {
  return releases.find((r) => r.current) ?? releases[0];
}

/** What an app runs now, asked of the platform (a few releases: a rollback's target is not always the newest). */
export async function currentRelease(platform: Platform, app: string): Promise<Release> {
  const current = currentOf(await platform.listReleases(app, { limit: 5 }));
  if (!current) throw new PlatformNotFoundError(`${app} has no releases yet.`);
  return current;
}
