import { RefusedError } from '../../errors.js';
import { appAndChannel } from './parse-args.js';
import { ephemeral, inChannel } from './reply.js';
import { defineVerb } from './verb.js';

export const notify = defineVerb({
  name: 'notify',
  usage: '/pipeline notify APP [#channel]',
  summary: "announce APP's new releases in a channel (default: here)",
  parse: (args, fail) => ({ verb: 'notify', ...appAndChannel(args, fail) }),
  handle: async (deps, ctx, c) => {
    const channelId = c.channelId ?? ctx.channelId;
    // Slack's direct-message ids start with D.
    if (channelId.startsWith('D')) {
      throw new RefusedError('Releases are announced in channels, not direct messages: name one (#channel).');
    }
    const done = await deps.subscriptionService.notify(ctx, c.app, channelId, () => deps.channelAccess(channelId));
    if (!done.changed) return ephemeral(`${done.app}'s new releases are already announced in <#${channelId}>.`);
    const mute = `/pipeline mute ${done.app}${c.channelId ? ` <#${channelId}>` : ''}`;
    const unsure = done.accessUnchecked
      ? ' I am not allowed to look that channel up (this install predates the channels:read and groups:read scopes): if it is private, invite me with /invite @pipeline, or reinstall the app.'
      : '';
    return inChannel(
      `:loudspeaker: <@${ctx.userId}> asked for ${done.app}'s releases after v${done.sinceVersion} to be announced in <#${channelId}>. \`${mute}\` stops them.${unsure}`,
    );
  },
});
