import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { InvalidInputError, RefusedError } from '../../src/errors.js';
import { DEFAULT_POLICY } from '../../src/pipelines/policy.js';
import { startTestDeps } from '../support/test-deps.js';

let t: Awaited<ReturnType<typeof startTestDeps>>;
beforeAll(async () => {
  t = await startTestDeps('appsettings');
});
afterAll(() => t.stop());

const ana: Actor = { teamId: 'T0ACME', userId: 'U0ANA' };
const bob: Actor = { teamId: 'T0ACME', userId: 'U0BOB' };
const rival: Actor = { teamId: 'T0RIVAL', userId: 'U0EVE' };
const auditOf = (teamId: string, app: string) =>
  t.deps.db
    .collection('audit')
    .find({ teamId, app }, { projection: { _id: 0 } })
    .toArray();

describe('locks', () => {
  it('locks with who, why and when, and refuses a second lock naming the holder and reason', async () => {
    const locked = await t.deps.appSettings.lock(ana, 'myapp', '  fixing the checkout outage ');
    expect(locked).toEqual({
      app: 'myapp',
      lock: { by: 'U0ANA', reason: 'fixing the checkout outage', at: t.clock.now() },
    });
    expect((await t.deps.appSettings.settings(ana.teamId, 'myapp')).lock).toEqual(locked.lock);

    t.clock.advance(5 * 60_000);
    await expect(t.deps.appSettings.lock(bob, 'myapp', 'deploy freeze')).rejects.toThrow(
      new RefusedError(
        'myapp is already locked by <@U0ANA> 5 minutes ago: "fixing the checkout outage". Run /pipeline unlock myapp first.',
      ),
    );
    expect(await auditOf(ana.teamId, 'myapp')).toEqual([
      expect.objectContaining({
        action: 'app.locked',
        actor: 'U0ANA',
        details: { reason: 'fixing the checkout outage' },
      }),
    ]);
  });

  it('unlocks once, then says there is nothing to unlock', async () => {
    const unlocked = await t.deps.appSettings.unlock(bob, 'myapp');
    expect(unlocked.was).toMatchObject({ by: 'U0ANA', reason: 'fixing the checkout outage' });
    await expect(t.deps.appSettings.unlock(bob, 'myapp')).rejects.toThrow(
      'myapp is not locked, so there is nothing to unlock.',
    );
    expect((await t.deps.appSettings.settings(ana.teamId, 'myapp')).lock).toBeNull();
    const actions = (await auditOf(ana.teamId, 'myapp')).map((e) => `${e.action} by ${e.actor}`);
    expect(actions).toEqual(['app.locked by U0ANA', 'app.unlocked by U0BOB']);
  });

  it('lets exactly one of many simultaneous lockers win', async () => {
    const tries = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => t.deps.appSettings.lock({ ...ana, userId: `U${i}` }, 'billing', `try ${i}`)),
    );
    expect(tries.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(tries.filter((r) => r.status === 'rejected' && r.reason instanceof RefusedError)).toHaveLength(9);
    expect(await auditOf(ana.teamId, 'billing')).toHaveLength(1);
  });
});

describe('approval policy', () => {
  it('starts from the defaults and shows them without writing', async () => {
    expect(await t.deps.appSettings.policy(ana, 'myapp')).toEqual({
      app: 'myapp',
      policy: DEFAULT_POLICY,
      changed: [],
    });
    expect(await auditOf(ana.teamId, 'myapp')).toHaveLength(2);
  });

  it('changes the named settings only, audits from/to, and keeps the rest', async () => {
    const first = await t.deps.appSettings.policy(ana, 'myapp', ['approvals=2', 'approvers=<@U0ANA>,<!subteam^S0SRE>']);
    expect(first.changed).toEqual(['approvals', 'approvers']);
    const second = await t.deps.appSettings.policy(ana, 'myapp', ['expires=30m', 'approvals=2']);
    expect(second).toEqual({
      app: 'myapp',
      changed: ['expiresMs'],
      policy: {
        approvals: 2,
        approvers: { users: ['U0ANA'], groups: ['S0SRE'] },
        selfApproval: false,
        expiresMs: 30 * 60_000,
        rollbackApprovals: 0,
      },
    });
    expect((await t.deps.appSettings.settings(ana.teamId, 'myapp')).policy).toEqual(second.policy);
    const events = (await auditOf(ana.teamId, 'myapp')).filter((e) => e.action === 'app.policy_set');
    expect(events.map((e) => e.details)).toEqual([
      {
        approvals: { from: 0, to: 2 },
        approvers: { from: { users: [], groups: [] }, to: { users: ['U0ANA'], groups: ['S0SRE'] } },
      },
      { expiresMs: { from: 24 * 3_600_000, to: 30 * 60_000 } },
    ]);
  });

  it('audits simultaneous identical changes once, and a repeat of the current value not at all', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.deps.appSettings.policy(ana, 'racy-app', ['approvals=3'])),
    );
    expect(results.filter((r) => r.changed.length > 0)).toHaveLength(1);
    expect(results.every((r) => r.policy.approvals === 3)).toBe(true);
    await t.deps.appSettings.policy(ana, 'racy-app', ['approvals=3']);
    const events = await auditOf(ana.teamId, 'racy-app');
    expect(events.map((e) => e.details)).toEqual([{ approvals: { from: 0, to: 3 } }]);
  });

  it('rejects an invalid setting with its allowed form and changes nothing', async () => {
    await expect(t.deps.appSettings.policy(ana, 'myapp', ['approvals=2', 'expires=forever'])).rejects.toThrow(
      InvalidInputError,
    );
    await expect(t.deps.appSettings.policy(ana, 'myapp', ['self-approval=maybe'])).rejects.toThrow(
      'self-approval must be on or off; got "maybe".',
    );
    expect((await t.deps.appSettings.settings(ana.teamId, 'myapp')).policy.expiresMs).toBe(30 * 60_000);
  });
});

describe('repository link', () => {
  it('stores OWNER/NAME, audits a change once, and refuses anything else', async () => {
    expect(await t.deps.appSettings.setRepo(ana, 'myapp', 'https://github.com/acme/myapp.git')).toEqual({
      app: 'myapp',
      repo: 'acme/myapp',
    });
    await t.deps.appSettings.setRepo(ana, 'myapp', 'acme/myapp');
    await expect(t.deps.appSettings.setRepo(ana, 'myapp', 'not a repo')).rejects.toThrow(/give it as OWNER\/NAME/);
    expect((await t.deps.appSettings.settings(ana.teamId, 'myapp')).repo).toBe('acme/myapp');
    expect((await auditOf(ana.teamId, 'myapp')).filter((e) => e.action === 'app.repo_set')).toHaveLength(1);
  });
});

describe('team isolation', () => {
  it("shows another team none of this team's settings and lets it set its own", async () => {
    expect(await t.deps.appSettings.settings(rival.teamId, 'myapp')).toEqual({
      teamId: 'T0RIVAL',
      app: 'myapp',
      policy: DEFAULT_POLICY,
      lock: null,
      repo: null,
    });
    await expect(t.deps.appSettings.unlock(rival, 'billing')).rejects.toThrow(/not locked/);
    await t.deps.appSettings.lock(rival, 'billing', 'theirs');
    expect((await t.deps.appSettings.settings(ana.teamId, 'billing')).lock?.reason).toMatch(/^try \d$/);
  });
});
