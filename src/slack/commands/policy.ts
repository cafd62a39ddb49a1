import { formatDuration } from '../../pipelines/duration.js';
import type { Policy } from '../../pipelines/policy.js';
import { lockLine } from '../blocks/lock-line.js';
import { plural } from '../plural.js';
import { ephemeral, inChannel } from './reply.js';
import { defineVerb, existingApp } from './verb.js';

export const policy = defineVerb({
  name: 'policy',
  usage:
    '/pipeline policy APP [approvals=N] [approvers=@user,@group…] [self-approval=on|off] [expires=24h] [rollback-approvals=N]',
  summary: 'show or change who must approve promotions into APP',
  parse: (args, fail) => {
    const [app, ...settings] = args;
    if (!app) fail('name the app whose policy to show or change');
    return { verb: 'policy', app, settings };
  },
  handle: async (deps, ctx, c) => {
    const view = await deps.appSettings.policy(ctx, await existingApp(deps, ctx, c.app), c.settings);
    const text = `${view.app}: ${describePolicy(view.policy)}`;
    if (view.changed.length === 0) {
      const { lock } = await deps.appSettings.settings(ctx.teamId, view.app);
      const locked = lock ? `\n${lockLine(view.app, lock, deps.now())}` : '';
      return ephemeral(`${c.settings.length ? `${text} (already so)` : text}${locked}`);
    }
    // Open requests need what the policy says now; their cards say what changed.
    const reconsidered = await deps.promotionService.applyPolicy(ctx, view.app);
    await Promise.allSettled(reconsidered.map((p) => deps.cards.refresh(p.id)));
    const open = reconsidered.length
      ? ` ${plural(reconsidered.length, 'open request')} ${reconsidered.length === 1 ? 'follows' : 'follow'} it now.`
      : '';
    return inChannel(`<@${ctx.userId}> changed the promotion policy of ${text}${open}`);
  },
});

export function describePolicy(p: Policy): string {
  const who = [...p.approvers.users.map((u) => `<@${u}>`), ...p.approvers.groups.map((g) => `<!subteam^${g}>`)];
  const approvals =
    p.approvals === 0
      ? 'no approval needed'
      : `${plural(p.approvals, 'approval')} from ${who.length ? who.join(', ') : 'anyone'}`;
  const rollbacks = p.rollbackApprovals === 0 ? 'rollbacks need none' : `rollbacks need ${p.rollbackApprovals}`;
  return `${approvals}, self-approval ${p.selfApproval ? 'on' : 'off'}, requests expire after ${formatDuration(p.expiresMs)}, ${rollbacks}.`;
}
