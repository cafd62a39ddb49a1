import type { AuditStore } from '../audit/audit-store.js';
import type { Logger } from '../create-logger.js';
import type { AppLock, AppsStore } from './apps-store.js';

export type LapseDeps = {
  apps: Pick<AppsStore, 'lapse'>;
  audit: AuditStore;
  now: () => Date;
  logger: Logger;
  /** Tells the channel where a lock was taken that it lapsed. */
  tellLapsed(app: string, lock: AppLock & { channelId: string }): Promise<void>;
};

/**
 * Lifts the locks whose time is up, audits each, and says so where each was taken. Run every half minute by the
 * worker role, so a lock lapses within that of its time.
 */
export async function lapseLocks(deps: LapseDeps): Promise<number> {
  const lapsed = await deps.apps.lapse(deps.now());
  for (const { teamId, app, lock } of lapsed) {
    await deps.audit.append({
      teamId,
      at: lock.until ?? deps.now(),
      actor: 'system',
      action: 'app.lock_lapsed',
      app,
      apps: [app],
      details: { lockedBy: lock.by, reason: lock.reason, until: lock.until?.toISOString() },
      key: `lock-lapsed:${teamId}:${app}:${lock.at.toISOString()}`,
    });
    const { channelId } = lock;
    if (!channelId) continue;
    // The lock is lifted whatever Slack says; a lost line is logged, not retried into a second one.
    await deps.tellLapsed(app, { ...lock, channelId }).catch((err) => deps.logger.warn({ err, app }, 'lapse not told'));
  }
  return lapsed.length;
}
