import type { WebClient } from '@slack/web-api';
import type { ApproverDirectory } from '../promotions/approver-directory.js';

/** Long enough to spare Slack's rate limit on a burst of clicks, short enough that a removed member stops counting soon. */
const CACHE_MS = 60_000;

/** Who is in a user group, as Slack says (`usergroups.users.list`), cached briefly per team and group. */
export function slackDirectory(client: WebClient, now: () => number = Date.now): ApproverDirectory {
  const cache = new Map<string, { at: number; users: Promise<string[]> }>();
  const members = (teamId: string, group: string) => {
    const key = `${teamId}:${group}`;
    const hit = cache.get(key);
    if (hit && now() - hit.at < CACHE_MS) return hit.users;
    const users = client.usergroups.users.list({ usergroup: group, team_id: teamId }).then((r) => r.users ?? []);
    // A failed lookup is not cached: the next click asks again.
    users.catch(() => cache.delete(key));
    cache.set(key, { at: now(), users });
    return users;
  };
  return {
    isInAnyGroup: async (teamId, userId, groups) => {
      for (const group of groups) if ((await members(teamId, group)).includes(userId)) return true;
      return false;
    },
  };
}
