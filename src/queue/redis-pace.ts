import type { Redis } from 'ioredis';
import type { ChannelRef } from '../announcements/announcement.js';
import type { Pace } from '../announcements/send-next-announcement.js';

/** The pace lives in Redis, so every worker sees when a channel last heard from us (or was told to wait). */
export function createRedisPace(redis: Redis, prefix: string): Pace {
  const channelKey = (c: ChannelRef) => `${prefix}:announce-pace:${c.teamId}:${c.channelId}`;
  const workspaceKey = (teamId: string) => `${prefix}:announce-pace:${teamId}`;
  const set = async (key: string, ms: number) => void (await redis.set(key, '1', 'PX', Math.max(Math.ceil(ms), 1)));
  return {
    remainingMs: async (channel) => {
      const [own, workspace] = await Promise.all([
        redis.pttl(channelKey(channel)),
        redis.pttl(workspaceKey(channel.teamId)),
      ]);
      return Math.max(own, workspace, 0);
    },
    hold: (channel, ms) => set(channelKey(channel), ms),
    holdWorkspace: (teamId, ms) => set(workspaceKey(teamId), ms),
  };
}
