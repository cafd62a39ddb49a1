import type { Redis } from 'ioredis';
import type { ChannelRef } from '../releases/announcement.js';
import type { Pace } from '../releases/send-next-announcement.js';

/** Sets a hold unless a longer one is running: a short wait must not cut a long Retry-After short. */
const LENGTHEN = `local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return left`;

/** Two channels of one workspace told to wait within this long: the limit is the workspace's, not a channel's. */
const WORKSPACE_WINDOW_MS = 10_000;
const WORKSPACE_HOLD_MAX_MS = 60_000;

/** The pace lives in Redis, so every worker sees when a channel last heard from us (or was told to wait). */
export function createRedisPace(redis: Redis, prefix: string): Pace {
  const channelKey = (c: ChannelRef) => `${prefix}:announce-pace:${c.teamId}:${c.channelId}`;
  const workspaceKey = (teamId: string) => `${prefix}:announce-pace:${teamId}`;
  const limitedKey = (teamId: string) => `${prefix}:announce-429:${teamId}`;
  const hold = async (key: string, ms: number) => void (await redis.eval(LENGTHEN, 1, key, Math.max(Math.ceil(ms), 1)));
  return {
    remainingMs: async (channel) => {
      const [own, workspace] = await Promise.all([
        redis.pttl(channelKey(channel)),
        redis.pttl(workspaceKey(channel.teamId)),
      ]);
      return Math.max(own, workspace, 0);
    },
    hold: (channel, ms) => hold(channelKey(channel), ms),
    rateLimited: async (channel, ms) => {
      await hold(channelKey(channel), ms);
      // Most 429s are one busy channel's; only when several channels hear it does the whole workspace wait.
      const limited = limitedKey(channel.teamId);
      const [, , [, count]] = (await redis
        .multi()
        .sadd(limited, channel.channelId)
        .pexpire(limited, WORKSPACE_WINDOW_MS)
        .scard(limited)
        .exec()) as [unknown, unknown, [unknown, number]];
      if (count >= 2) await hold(workspaceKey(channel.teamId), Math.min(ms, WORKSPACE_HOLD_MAX_MS));
    },
    holdWorkspace: (teamId, ms) => hold(workspaceKey(teamId), ms),
  };
}
