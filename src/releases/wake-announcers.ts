import type { AnnouncementDrains } from './announcement.js';
import type { AnnouncementsStore } from './announcements-store.js';

/**
 * Wakes every channel with something left to post. Stored announcements are the truth and a drain job only a
 * reminder: one lost with Redis, or never queued while Redis was down, is made good here.
 */
export async function wakeAnnouncers(deps: { announcements: AnnouncementsStore; drains: AnnouncementDrains }) {
  const channels = await deps.announcements.channelsWithWork();
  await deps.drains.enqueue(channels);
  return { channels: channels.length };
}
