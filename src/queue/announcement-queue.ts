import { DelayedError, type Job } from 'bullmq';
import type { AnnouncementDrains, ChannelRef } from '../releases/announcement.js';
import { type DrainDeps, SHORT_WAIT_MS, sendNextAnnouncement } from '../releases/send-next-announcement.js';
import { createQueue, type QueueDeps } from './create-queue.js';
import { createWorker, type WorkerDeps } from './create-worker.js';
import { withDeadline } from './with-deadline.js';

export const ANNOUNCEMENTS_QUEUE = 'announcements';

/** How soon a drain looks again while another worker holds its channel. */
const BUSY_RETRY_MS = 500;
const PRODUCER_DEADLINE_MS = 2_000;

/**
 * One drain job a channel at a time (BullMQ deduplication keeps at most one running and one waiting): each run
 * posts one message, then the job comes back when the channel's pace allows the next.
 */
export function createAnnouncementDrains(deps: QueueDeps): AnnouncementDrains & { close(): Promise<void> } {
  const queue = createQueue<ChannelRef>(deps, ANNOUNCEMENTS_QUEUE);
  const add = (channel: ChannelRef) =>
    queue.add('drain', channel, {
      deduplication: { id: `${channel.teamId}-${channel.channelId}`, keepLastIfActive: true },
      attempts: 8,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: true,
    });
  return {
    enqueue: async (channels) =>
      void (await withDeadline(Promise.all(channels.map(add)), PRODUCER_DEADLINE_MS, 'waking announcement senders')),
    close: () => queue.close(),
  };
}

export function startAnnouncementWorker(deps: WorkerDeps, drain: DrainDeps) {
  const again = async (job: Job<ChannelRef>, token: string | undefined, ms: number): Promise<never> => {
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  };
  return createWorker<ChannelRef, string>(
    deps,
    ANNOUNCEMENTS_QUEUE,
    async (job, token) => {
      // Every line this job logs names its channel and job.
      const logger = drain.logger.child({ ...job.data, jobId: job.id });
      const step = await sendNextAnnouncement({ ...drain, logger }, job.data);
      // Back a little before the pace ends: the next run looks up its message while the pace runs out.
      if (step.kind === 'sent') return again(job, token, Math.max(drain.intervalMs - SHORT_WAIT_MS / 2, 0));
      if (step.kind === 'wait') return again(job, token, step.ms);
      if (step.kind === 'busy') return again(job, token, BUSY_RETRY_MS);
      return step.kind;
    },
    // Jobs mostly wait on Slack and the pace, so many channels can be served at once.
    { concurrency: 20 },
  );
}
