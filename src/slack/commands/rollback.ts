import { plural } from '../plural.js';
import { alreadyOpen, openOnCard } from './open-on-card.js';
import { appThenNumber } from './parse-args.js';
import { ephemeral } from './reply.js';
import { appOf, defineVerb, onApp } from './verb.js';

export const rollback = defineVerb({
  name: 'rollback',
  usage: '/pipeline rollback [APP] [vN]',
  summary: 'roll back to vN (default: the release before the current)',
  parse: (args, fail) => {
    // v2, V2 and 2 all mean version 2 (an app name never starts with a digit, so a lone number is a version).
    const [app, version] = appThenNumber(args, fail, 'a version (v2)', /^v?\d{1,6}$/i);
    return { verb: 'rollback', app, version: version === undefined ? undefined : Number(version.replace(/^v/i, '')) };
  },
  handle: async (deps, ctx, c) => {
    const name = await appOf(deps, ctx, c.app);
    const p = await onApp(deps, ctx, name, () =>
      openOnCard(deps, ctx, (hold) =>
        deps.promotionService.requestRollback(ctx, {
          app: name,
          version: c.version,
          requestKey: `rollback:${ctx.triggerId}`,
          ...hold,
        }),
      ),
    );
    if (p.alreadyOpen) return alreadyOpen(deps, p);
    if (p.state !== 'pending_approval') return ephemeral(`Rolling back ${name} to v${p.source.version}...`);
    return ephemeral(`Rollback requested: it needs ${plural(p.policy.approvals, 'approval')} on the card.`);
  },
});
