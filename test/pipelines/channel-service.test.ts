import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { InvalidInputError } from '../../src/errors.js';
import { startTestDeps } from '../support/test-deps.js';

let t: Awaited<ReturnType<typeof startTestDeps>>;
beforeAll(async () => {
  t = await startTestDeps('channels');
});
afterAll(() => t.stop());

const ana: Actor = { teamId: 'T0ACME', userId: 'U0ANA' };

describe("a channel's default app", () => {
  it('is asked for by name until one is set', async () => {
    await expect(t.deps.channels.resolveApp(ana.teamId, 'C0DEPLOY', undefined)).rejects.toThrow(
      new InvalidInputError(
        'Which app? This channel has no default app: name one, or set a default with /pipeline use APP.',
      ),
    );
  });

  it('stands in for an omitted app once set, per channel, and a typed app still wins', async () => {
    expect(await t.deps.channels.useApp(ana, 'C0DEPLOY', 'myapp-staging')).toEqual({
      channelId: 'C0DEPLOY',
      app: 'myapp-staging',
      previous: null,
      changed: true,
    });
    expect(await t.deps.channels.resolveApp(ana.teamId, 'C0DEPLOY', undefined)).toBe('myapp-staging');
    expect(await t.deps.channels.resolveApp(ana.teamId, 'C0DEPLOY', 'myapp')).toBe('myapp');
    await expect(t.deps.channels.resolveApp(ana.teamId, 'C0OTHER', undefined)).rejects.toThrow(/Which app\?/);
    await expect(t.deps.channels.resolveApp('T0RIVAL', 'C0DEPLOY', undefined)).rejects.toThrow(/Which app\?/);
  });

  it('audits a change once, a repeat not at all, and refuses a bad name', async () => {
    await t.deps.channels.useApp(ana, 'C0DEPLOY', 'myapp-staging');
    const switched = await t.deps.channels.useApp(ana, 'C0DEPLOY', 'myapp');
    expect(switched).toMatchObject({ app: 'myapp', previous: 'myapp-staging', changed: true });
    await expect(t.deps.channels.useApp(ana, 'C0DEPLOY', 'my_app')).rejects.toThrow(/not a valid app name/);
    const events = await t.deps.db.collection('audit').find({ teamId: ana.teamId }).toArray();
    expect(events.map((e) => [e.action, e.app, e.details.previous])).toEqual([
      ['channel.default_app_set', 'myapp-staging', null],
      ['channel.default_app_set', 'myapp', 'myapp-staging'],
    ]);
    expect(await t.deps.channels.defaultApp(ana.teamId, 'C0DEPLOY')).toBe('myapp');
  });

  it('survives many simultaneous first-time settings of one channel', async () => {
    const apps = Array.from({ length: 8 }, (_, i) => `app-${i}`);
    await Promise.all(apps.map((app) => t.deps.channels.useApp(ana, 'C0NEW', app)));
    expect(apps).toContain(await t.deps.channels.defaultApp(ana.teamId, 'C0NEW'));
    expect(await t.deps.db.collection('channels').countDocuments({ teamId: ana.teamId, channelId: 'C0NEW' })).toBe(1);
  });
});
