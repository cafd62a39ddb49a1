import type { Actor } from '../actor.js';
import { auditOf } from '../audit/audit-event.js';
import type { AuditStore } from '../audit/audit-store.js';
import { InvalidInputError } from '../errors.js';
import { parseAppName } from './app-name.js';
import type { ChannelsStore } from './channels-store.js';

export type ChannelServiceDeps = { channels: ChannelsStore; audit: AuditStore; now: () => Date };

export type ChannelService = ReturnType<typeof createChannelService>;

/** A channel's default app stands in for APP wherever a command omits it (as the CLI took it from the git remote). */
export function createChannelService(deps: ChannelServiceDeps) {
  async function useApp(actor: Actor, channelId: string, rawApp: string) {
    const app = parseAppName(rawApp);
    const at = deps.now();
    const previous = await deps.channels.setDefaultApp(actor.teamId, channelId, app, actor.userId, at);
    if (previous !== app) {
      const apps = previous ? [app, previous] : [app];
      await deps.audit.append(auditOf(actor, at, 'channel.default_app_set', app, { channelId, previous }, apps));
    }
    return { channelId, app, previous, changed: previous !== app };
  }

  /** The app a command means: the one typed, else the channel's default, else an error saying how to set one. */
  async function resolveApp(teamId: string, channelId: string, rawApp: string | undefined) {
    if (rawApp !== undefined) return parseAppName(rawApp);
    const app = await deps.channels.defaultApp(teamId, channelId);
    if (app) return app;
    throw new InvalidInputError(
      'Which app? This channel has no default app: name one, or set a default with /pipeline use APP.',
    );
  }

  return { useApp, resolveApp, defaultApp: deps.channels.defaultApp };
}
