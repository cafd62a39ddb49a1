import type { Announcement } from './announcement.js';

/**
 * The line to post next in a channel: each app's releases go out in version order, and between apps the release
 * made first goes first. Pure, so the order is the same whichever worker drains the channel.
 */
export function nextLine(queued: readonly Announcement[]): Announcement | undefined {
  const heads = new Map<string, Announcement>();
  for (const a of queued) {
    const head = heads.get(a.app);
    if (!head || a.version < head.version) heads.set(a.app, a);
  }
  return [...heads.values()].sort(
    (a, b) => a.release.createdAt.getTime() - b.release.createdAt.getTime() || a.version - b.version,
  )[0];
}

/**
 * Releases are numbered without gaps, so a missing predecessor means one is on its way (webhooks arrive out of
 * order) or was never reported (a lost webhook). Ask the platform once before posting past it.
 */
export function mayHaveMissedPredecessor(
  head: Pick<Announcement, 'version' | 'gapChecked'>,
  sinceVersion: number,
  predecessorKnown: boolean,
): boolean {
  return !head.gapChecked && head.version - 1 > sinceVersion && !predecessorKnown;
}
