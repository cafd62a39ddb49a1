import type { Shutdown } from '../create-shutdown.js';
import type { Deps } from '../deps.js';
import { startWorkers, type WorkerSlack } from '../queue/start-workers.js';
import { createAnnouncementSender } from '../slack/announcement-sender.js';
import { lapseLine } from '../slack/blocks/lock-line.js';
import { createSlackClient } from '../slack/create-slack-client.js';

/** The worker role: the engine, the card updates, the announcement senders and the scheduled jobs. */
export async function startWorkerRole(deps: Deps, shutdown: Shutdown): Promise<void> {
  // No client retries: a failed send is retried by its queue job with backoff, not for half an hour inside the
  // client (its default) while holding the channel.
  const client = createSlackClient(deps.config, { retries: 0, rejectRateLimitedCalls: true });
  const sender = createAnnouncementSender(client, deps.cards.places);
  const tellLapsed: WorkerSlack['tellLapsed'] = async (app, lock) => {
    await client.chat.postMessage({ channel: lock.channelId, text: lapseLine(app, lock) });
  };
  shutdown.add('workers', await startWorkers(deps, { cards: deps.cards, sender, tellLapsed }));
}
