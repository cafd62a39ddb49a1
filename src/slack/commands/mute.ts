import { appAndChannel } from './parse-args.js';
import { ephemeral, inChannel } from './reply.js';
import { defineVerb } from './verb.js';

export const mute = defineVerb({
  name: 'mute',
  usage: '/pipeline mute APP [#channel]',
  summary: "stop announcing APP's releases in a channel",
  parse: (args, fail) => ({ verb: 'mute', ...appAndChannel(args, fail) }),
  handle: async (deps, ctx, c) => {
    const channelId = c.channelId ?? ctx.channelId;
    const done = await deps.subscriptionService.mute(ctx, c.app, channelId);
    if (!done.changed) return ephemeral(`${done.app}'s releases were not being announced in <#${channelId}>.`);
    return inChannel(`:mute: <@${ctx.userId}> stopped announcing ${done.app}'s releases in <#${channelId}>.`);
  },
});
