/** A release as an announcement tells it: what the platform said, plus its slug's commit where known. */
export type AnnouncedRelease = {
  id: string;
  app: string;
  version: number;
  description: string;
  userEmail: string;
  createdAt: Date;
  commit: string | null;
  commitDescription: string | null;
};

/**
 * One release in one channel. `queued` → `posted` (the line is in the channel, `ts` is its thread) → `done` (the
 * details are in the thread, or none were needed); `dropped` when the channel went away first.
 */
export type AnnouncementState = 'queued' | 'posted' | 'done' | 'dropped';

export type Announcement = {
  /** `team:app:release:channel`: the one announcement of a release in a channel, whoever saw it first. */
  id: string;
  teamId: string;
  app: string;
  channelId: string;
  releaseId: string;
  version: number;
  release: AnnouncedRelease;
  source: ReleaseSource;
  state: AnnouncementState;
  queuedAt: Date;
  ts?: string;
  postedAt?: Date;
  /** Set once the platform was asked for releases missing before this one, so a gap is looked at only once. */
  gapChecked?: boolean;
  droppedReason?: string;
};

export type ReleaseSource = 'webhook' | 'poll';

/** Which channel hears which app: from `/pipeline notify` until `/pipeline mute` (or the channel goes away). */
export type Subscription = {
  teamId: string;
  app: string;
  channelId: string;
  enabled: boolean;
  /** The app's version when the subscription began: only later releases are announced. */
  sinceVersion: number;
  by: string;
  at: Date;
  disabledReason?: string;
  disabledAt?: Date;
};

export const announcementId = (teamId: string, app: string, releaseId: string, channelId: string) =>
  `${teamId}:${app}:${releaseId}:${channelId}`;

/** A channel of a workspace: the unit announcements are queued, paced and drained by. */
export type ChannelRef = { teamId: string; channelId: string };

/** Wakes the sender of each channel (a queue in production). */
export type AnnouncementDrains = { enqueue(channels: readonly ChannelRef[]): Promise<void> };
