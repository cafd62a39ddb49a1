import { formatDistanceStrict } from 'date-fns';
import type { Actor } from '../actor.js';
import type { AuditEvent } from '../audit/audit-event.js';
import { auditOf } from '../audit/audit-event.js';
import type { AuditStore } from '../audit/audit-store.js';
import { RefusedError } from '../errors.js';
import { parseAppName } from './app-name.js';
import type { AppLock, AppSettings, AppsStore } from './apps-store.js';
import { parsePolicyArgs } from './parse-policy-args.js';
import type { Policy } from './policy.js';
import { parseRepoName } from './repo-name.js';

export type AppSettingsServiceDeps = { apps: AppsStore; audit: AuditStore; now: () => Date };

export type PolicyView = {
  app: string;
  policy: Policy /** Settings this call changed (empty when only read). */;
  changed: (keyof Policy)[];
};

export type AppSettingsService = ReturnType<typeof createAppSettingsService>;

export function createAppSettingsService(deps: AppSettingsServiceDeps) {
  const record = (actor: Actor, event: Pick<AuditEvent, 'action' | 'app' | 'details'>, at: Date) =>
    deps.audit.append(auditOf(actor, at, event.action, event.app, event.details));

  async function lock(
    actor: Actor,
    rawApp: string,
    reason = '',
    options: { forMs?: number; channelId?: string } = {},
  ): Promise<{ app: string; lock: AppLock }> {
    const app = parseAppName(rawApp);
    const at = deps.now();
    const lock: AppLock = {
      by: actor.userId,
      reason: reason.trim().slice(0, 500),
      at,
      ...(options.forMs ? { until: new Date(at.getTime() + options.forMs) } : {}),
      ...(options.channelId ? { channelId: options.channelId } : {}),
    };
    // Twice: if the holder unlocked between our attempt and our look at their lock, the second attempt wins.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await deps.apps.lock(actor.teamId, app, lock)) {
        const until = lock.until ? { until: lock.until.toISOString() } : {};
        await record(actor, { action: 'app.locked', app, details: { reason: lock.reason, ...until } }, lock.at);
        return { app, lock };
      }
      const current = (await deps.apps.get(actor.teamId, app)).lock;
      if (current) {
        const held = describeLock(current, lock.at);
        throw new RefusedError(`${app} is already locked${held}. Run /pipeline unlock ${app} first.`);
      }
    }
    throw new RefusedError(`${app} is being locked and unlocked by others right now; try again in a moment.`);
  }

  async function unlock(actor: Actor, rawApp: string): Promise<{ app: string; was: AppLock }> {
    const app = parseAppName(rawApp);
    const at = deps.now();
    const was = await deps.apps.unlock(actor.teamId, app, at);
    if (!was) throw new RefusedError(`${app} is not locked, so there is nothing to unlock.`);
    await record(actor, { action: 'app.unlocked', app, details: { lockedBy: was.by, reason: was.reason } }, at);
    return { app, was };
  }

  /** With no settings, shows the policy; otherwise changes the named settings and shows the result. */
  async function policy(actor: Actor, rawApp: string, args: readonly string[] = []): Promise<PolicyView> {
    const app = parseAppName(rawApp);
    const change = parsePolicyArgs(args);
    if (Object.keys(change).length === 0)
      return { app, policy: (await deps.apps.get(actor.teamId, app)).policy, changed: [] };

    const at = deps.now();
    // What changed is judged against the document as the atomic update found it, so simultaneous identical
    // requests audit one change, not one each.
    const before = await deps.apps.updatePolicy(actor.teamId, app, change, at);
    const after = { ...before.policy, ...change };
    const changed = changedKeys(before.policy, change);
    if (changed.length > 0) {
      const details = Object.fromEntries(changed.map((key) => [key, { from: before.policy[key], to: after[key] }]));
      await record(actor, { action: 'app.policy_set', app, details }, at);
    }
    return { app, policy: after, changed };
  }

  async function setRepo(actor: Actor, rawApp: string, rawRepo: string): Promise<{ app: string; repo: string }> {
    const app = parseAppName(rawApp);
    const repo = parseRepoName(rawRepo);
    const at = deps.now();
    const previous = await deps.apps.setRepo(actor.teamId, app, repo, at);
    if (previous !== repo) await record(actor, { action: 'app.repo_set', app, details: { repo, previous } }, at);
    return { app, repo };
  }

  const settings = (teamId: string, rawApp: string): Promise<AppSettings> =>
    deps.apps.get(teamId, parseAppName(rawApp));

  return { lock, unlock, policy, setRepo, settings, locked: deps.apps.locked };
}

function changedKeys(policy: Policy, change: Partial<Policy>): (keyof Policy)[] {
  return (Object.keys(change) as (keyof Policy)[]).filter(
    (key) => JSON.stringify(policy[key]) !== JSON.stringify(change[key]),
  );
}

function describeLock(lock: AppLock | null, now: Date): string {
  if (!lock) return '';
  const reason = lock.reason ? `: "${lock.reason}"` : '';
  return ` by <@${lock.by}> ${formatDistanceStrict(lock.at, now)} ago${reason}`;
}
