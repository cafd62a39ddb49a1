import type { ChannelAccess, SubscriptionService } from '../../announcements/subscription-service.js';
import type { AppSettingsService } from '../../apps/app-settings-service.js';
import { formatDuration } from '../../apps/duration.js';
import type { Policy } from '../../apps/policy.js';
import type { AuditStore } from '../../audit/audit-store.js';
import { readHistory } from '../../audit/read-history.js';
import type { ChannelService } from '../../channels/channel-service.js';
import { RefusedError } from '../../errors.js';
import type { PipelineService } from '../../pipelines/pipeline-service.js';
import type { Platform } from '../../platform/platform.js';
import { NothingToPromoteError } from '../../promotions/build-request.js';
import type { PromotionService } from '../../promotions/promotion-service.js';
import type { CardPublisher } from '../card-publisher.js';
import { helpText, type PipelineCommand, VERBS, type Verb } from '../parse-command.js';
import { shortAgo } from '../short-ago.js';
import type { CommandContext } from './answer-command.js';
import { code, ephemeral, inChannel, type Reply } from './reply.js';

export type CommandDeps = {
  promotionService: PromotionService;
  cards: CardPublisher;
  pipelines: PipelineService;
  appSettings: AppSettingsService;
  channels: ChannelService;
  audit: AuditStore;
  platform: Platform;
  subscriptionService: SubscriptionService;
  /** Whether the bot can post in a channel (asked of Slack). */
  channelAccess: (channelId: string) => Promise<ChannelAccess>;
  now: () => Date;
};

type Handler<V extends Verb> = (
  deps: CommandDeps,
  ctx: CommandContext,
  command: Extract<PipelineCommand, { verb: V }>,
) => Promise<Reply>;

const app = (deps: CommandDeps, ctx: CommandContext, verb: Verb, named?: string) =>
  deps.channels.resolveApp(ctx.teamId, ctx.channelId, named, VERBS[verb].usage);

/** One handler a verb: call the core, render its answer. */
export const COMMAND_HANDLERS: { [V in Verb]: Handler<V> } = {
  help: async () => ephemeral(helpText()),
  show: async (deps, ctx, c) => {
    const named = c.app ?? (await deps.channels.defaultApp(ctx.teamId, ctx.channelId)) ?? undefined;
    const view = await deps.pipelines.show(ctx.teamId, named);
    const heard = await listeningChannels(deps, ctx.teamId, view.apps);
    if (view.pipelines.length > 0) return ephemeral(code(view.pipelines.join('\n\n')) + heard);
    if (view.app) return ephemeral(`${view.app} is not in a pipeline yet. Add it with ${VERBS.add.usage}.${heard}`);
    return ephemeral(`This workspace has no pipelines yet. Start one with ${VERBS.add.usage}.`);
  },
  add: async (deps, ctx, c) => {
    const change = await deps.pipelines.addLink(ctx, c.upstream, c.downstream);
    if (!change.changed)
      return ephemeral(`${change.upstream} already promotes to ${change.downstream}.\n${code(change.pipeline)}`);
    return inChannel(
      `<@${ctx.userId}> made ${change.downstream} the downstream of ${change.upstream}:\n${code(change.pipeline)}`,
    );
  },
  remove: async (deps, ctx, c) => {
    const removed = await deps.pipelines.removeLink(ctx, c.upstream);
    const left = removed.pipelines.length ? `\n${code(removed.pipelines.join('\n\n'))}` : '';
    return inChannel(`<@${ctx.userId}> removed ${removed.upstream} ---> ${removed.downstream}.${left}`);
  },
  use: async (deps, ctx, c) => {
    const used = await deps.channels.useApp(ctx, ctx.channelId, c.app);
    if (!used.changed) return ephemeral(`${used.app} is already this channel's default app.`);
    return inChannel(`<@${ctx.userId}> made ${used.app} this channel's default app: commands here may leave it out.`);
  },
  repo: async (deps, ctx, c) => {
    const linked = await deps.appSettings.setRepo(ctx, c.app, c.repo);
    return ephemeral(`${linked.app} is linked to github.com/${linked.repo}: diffs will list its commits.`);
  },
  lock: async (deps, ctx, c) => {
    const { app: locked, lock } = await deps.appSettings.lock(ctx, c.app, c.reason);
    const why = lock.reason ? `: "${lock.reason}"` : '';
    return inChannel(
      `:lock: <@${ctx.userId}> locked ${locked}${why}. Promotions into it are refused until /pipeline unlock ${locked}.`,
    );
  },
  unlock: async (deps, ctx, c) => {
    const { app: unlocked } = await deps.appSettings.unlock(ctx, c.app);
    return inChannel(`:unlock: <@${ctx.userId}> unlocked ${unlocked}.`);
  },
  policy: async (deps, ctx, c) => {
    const view = await deps.appSettings.policy(ctx, c.app, c.settings);
    const text = `${view.app}: ${describePolicy(view.policy)}`;
    if (view.changed.length === 0) return ephemeral(c.settings.length ? `${text} (already so)` : text);
    return inChannel(`<@${ctx.userId}> changed the promotion policy of ${text}`);
  },
  history: async (deps, ctx, c) => {
    const trail = await readHistory(deps.audit, ctx.teamId, c.app, { limit: c.count });
    if (trail.events.length === 0) return ephemeral(`Nothing has happened to ${trail.app} yet.`);
    const now = deps.now();
    const lines = trail.events.map(
      (e) => `${shortAgo(e.at, now).padEnd(8)} ${e.action.padEnd(26)} ${who(e.actor)}${historyDetail(e.details)}`,
    );
    return ephemeral(`History of ${trail.app}, newest first:\n${code(lines.join('\n'))}`);
  },
  releases: async (deps, ctx, c) => {
    const name = await app(deps, ctx, 'releases', c.app);
    const releases = await deps.platform.listReleases(name, { limit: c.count });
    const now = deps.now();
    const lines = releases.map((r) => `v${r.version}  ${r.description}  ${r.userEmail}  ${shortAgo(r.createdAt, now)}`);
    return ephemeral(`${name} releases:\n${code(lines.join('\n'))}`);
  },
  diff: async (deps, ctx, c) => {
    const upstream = await app(deps, ctx, 'diff', c.app);
    try {
      const p = await deps.promotionService.requestPromotion(ctx, {
        upstream,
        requestKey: `diff:${ctx.triggerId}`,
        confirm: true,
      });
      await deps.cards.post(p, ctx.channelId);
      return ephemeral(`Comparing ${p.upstream} to ${p.downstream}...done: the card is in this channel.`);
    } catch (err) {
      if (!(err instanceof NothingToPromoteError)) throw err;
      return ephemeral(`Comparing ${err.upstream} to ${err.downstream}...done, everything is up to date`);
    }
  },
  promote: async (deps, ctx, c) => {
    const upstream = await app(deps, ctx, 'promote', c.app);
    const p = await deps.promotionService.requestPromotion(ctx, { upstream, requestKey: `promote:${ctx.triggerId}` });
    await deps.cards.post(p, ctx.channelId);
    if (p.state !== 'pending_approval')
      return ephemeral(`Promoting ${p.upstream} to ${p.downstream}: the card in this channel follows it.`);
    return ephemeral(
      `Promotion requested: it needs ${p.policy.approvals} approval${p.policy.approvals === 1 ? '' : 's'} on the card.`,
    );
  },
  rollback: async (deps, ctx, c) => {
    const name = await app(deps, ctx, 'rollback', c.app);
    const p = await deps.promotionService.requestRollback(ctx, {
      app: name,
      version: c.version,
      requestKey: `rollback:${ctx.triggerId}`,
    });
    await deps.cards.post(p, ctx.channelId);
    if (p.state !== 'pending_approval') return ephemeral(`Rolling back ${name} to v${p.source.version}...`);
    return ephemeral(
      `Rollback requested: it needs ${p.policy.approvals} approval${p.policy.approvals === 1 ? '' : 's'} on the card.`,
    );
  },
  notify: async (deps, ctx, c) => {
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
  mute: async (deps, ctx, c) => {
    const channelId = c.channelId ?? ctx.channelId;
    const done = await deps.subscriptionService.mute(ctx, c.app, channelId);
    if (!done.changed) return ephemeral(`${done.app}'s releases were not being announced in <#${channelId}>.`);
    return inChannel(`:mute: <@${ctx.userId}> stopped announcing ${done.app}'s releases in <#${channelId}>.`);
  },
};

/** The program's own steps (expiry, a channel gone) are by `system`, which is nobody in Slack. */
function who(actor: string): string {
  return actor === 'system' ? 'pipeline-bot' : `<@${actor}>`;
}

/** What a history line needs beyond the action: the channel of an announcement change, and why. */
function historyDetail(details: Record<string, unknown>): string {
  const channel = typeof details.channelId === 'string' ? ` <#${details.channelId}>` : '';
  const reason = typeof details.reason === 'string' ? ` (${details.reason})` : '';
  return channel + reason;
}

/** `show`'s last lines: which channels hear each app shown. */
async function listeningChannels(deps: CommandDeps, teamId: string, apps: string[]): Promise<string> {
  const byApp = await deps.subscriptionService.listening(teamId);
  const lines = apps
    .filter((a) => byApp.has(a))
    .map((a) => `:loudspeaker: ${a} is announced in ${(byApp.get(a) ?? []).map((c) => `<#${c}>`).join(', ')}`);
  return lines.length ? `\n${lines.join('\n')}` : '';
}

export function describePolicy(policy: Policy): string {
  const who = [
    ...policy.approvers.users.map((u) => `<@${u}>`),
    ...policy.approvers.groups.map((g) => `<!subteam^${g}>`),
  ];
  const approvals =
    policy.approvals === 0
      ? 'no approval needed'
      : `${policy.approvals} approval${policy.approvals === 1 ? '' : 's'} from ${who.length ? who.join(', ') : 'anyone'}`;
  const rollbacks =
    policy.rollbackApprovals === 0 ? 'rollbacks need none' : `rollbacks need ${policy.rollbackApprovals}`;
  return `${approvals}, self-approval ${policy.selfApproval ? 'on' : 'off'}, requests expire after ${formatDuration(policy.expiresMs)}, ${rollbacks}.`;
}
