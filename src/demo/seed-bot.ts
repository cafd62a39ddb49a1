import type { Actor } from '../actor.js';
import type { Deps } from '../deps.js';

/** Where the demo's setup puts things: the channel commands run in, and the one that hears myapp's releases. */
export type SeedChannels = { work: string; announcements: string };

/**
 * The bot's side of the seed's team pipeline, made through the same services `/pipeline` uses (so the audit log
 * says who set it up): the couplings, the repository link, one approval for production, and, in the playground,
 * a default app for the work channel and release announcements of myapp.
 */
export async function seedBot(
  deps: Pick<Deps, 'pipelines' | 'appSettings' | 'channels' | 'subscriptionService'>,
  actor: Actor,
  channels?: SeedChannels,
): Promise<void> {
  await deps.pipelines.addLink(actor, 'myapp-jim-dev', 'myapp-staging');
  await deps.pipelines.addLink(actor, 'myapp-kim-dev', 'myapp-staging');
  await deps.pipelines.addLink(actor, 'myapp-staging', 'myapp');
  await deps.appSettings.setRepo(actor, 'myapp-staging', 'acme/myapp');
  await deps.appSettings.setRepo(actor, 'myapp', 'acme/myapp');
  await deps.appSettings.policy(actor, 'myapp', ['approvals=1']);
  if (!channels) return;
  await deps.channels.useApp(actor, channels.work, 'myapp-staging');
  await deps.subscriptionService.notify(actor, 'myapp', channels.announcements, async () => 'ok');
}
