import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHerokuPlatform } from '../../src/platform/heroku-platform.js';
import {
  PlatformForbiddenError,
  PlatformNotFoundError,
  PlatformRateLimitError,
  PlatformRejectedError,
  PlatformUnavailableError,
} from '../../src/platform/platform-errors.js';
import { type Simulator, startSimulator } from '../../src/simulator/start-simulator.js';
import { herokuSchema } from '../support/heroku-schema.js';
import { simControl } from '../support/sim-control.js';

const TOKEN = 'contract-token';
let sim: Simulator;
let control: ReturnType<typeof simControl>;
const ranges: string[] = [];
/** Records the Range header of every call, to see pages being followed. */
const recordingFetch: typeof fetch = (input, init) => {
  const range = new Headers(init?.headers).get('range');
  if (range) ranges.push(range);
  return fetch(input, init);
};
const heroku = (options: { token?: string; timeoutMs?: number; pageSize?: number } = {}) =>
  createHerokuPlatform({ baseUrl: sim.url, token: TOKEN, fetch: recordingFetch, ...options });

beforeAll(async () => {
  sim = await startSimulator({ token: TOKEN });
  control = simControl(sim.url);
  await control.addApp('myapp-staging', 'acme/myapp');
  await control.addApp('myapp', 'acme/myapp');
  for (let n = 1; n <= 11; n++) await control.deploy('myapp-staging', `change ${n}`);
});
afterAll(() => sim.close());
afterEach(async () => {
  await control.clearFaults();
  ranges.length = 0;
});

describe('the heroku adapter against the simulator', () => {
  it('reads an app', async () => {
    const app = await heroku().getApp('myapp-staging');
    expect(app).toMatchObject({ name: 'myapp-staging', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(app.webUrl).toMatch(/^https:\/\/myapp-staging-[0-9a-f]{12}\.herokuapp\.com\/$/);
  });

  it('lists releases newest first, following Next-Range across pages', async () => {
    const releases = await heroku({ pageSize: 4 }).listReleases('myapp-staging', { limit: 10 });
    expect(releases.map((r) => r.version)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(releases[0]).toMatchObject({
      current: true,
      status: 'succeeded',
      description: expect.stringMatching(/^Deploy [0-9a-f]{7}$/),
    });
    expect(releases.slice(1).every((r) => !r.current)).toBe(true);
    expect(ranges).toEqual([
      'version ..; max=4, order=desc',
      'version ]9..; max=4, order=desc',
      'version ]5..; max=4, order=desc',
    ]);
  });

  it('stops at the last page and at the limit', async () => {
    expect((await heroku({ pageSize: 5 }).listReleases('myapp-staging', { limit: 100 })).map((r) => r.version)).toEqual(
      [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
    );
    expect(await heroku().listReleases('myapp-staging', { limit: 2 })).toHaveLength(2);
    expect(ranges.at(-1)).toBe('version ..; max=2, order=desc');
  });

  it("reads a release's slug commit", async () => {
    const [current] = await heroku().listReleases('myapp-staging', { limit: 1 });
    const slug = await heroku().getSlug('myapp-staging', current?.slugId ?? '');
    expect(slug).toEqual({
      id: current?.slugId,
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      commitDescription: 'change 11',
    });
    expect(current?.description).toBe(`Deploy ${slug.commit?.slice(0, 7)}`);
  });

  it("creates a release from another app's slug, which becomes current", async () => {
    const [staging] = await heroku().listReleases('myapp-staging', { limit: 1 });
    const release = await heroku().createRelease('myapp', {
      slug: staging?.slugId ?? '',
      description: 'Promote myapp-staging v12 abc1234',
    });
    expect(release).toMatchObject({
      version: 2,
      current: true,
      slugId: staging?.slugId,
      description: 'Promote myapp-staging v12 abc1234',
      userEmail: 'you@yourcompany.com',
    });
    // The promoted app can read the slug it now runs.
    expect((await heroku().getSlug('myapp', release.slugId ?? '')).commitDescription).toBe('change 11');
  });

  it('rolls back by creating a new release of the old slug, described "Rollback to vN"', async () => {
    const [, previous] = await heroku().listReleases('myapp-staging', { limit: 2 });
    const rollback = await heroku().rollback('myapp-staging', previous?.id ?? '');
    expect(rollback).toMatchObject({
      version: 13,
      current: true,
      slugId: previous?.slugId,
      description: `Rollback to v${previous?.version}`,
    });
  });

  it.each([
    [404, PlatformNotFoundError, false],
    [403, PlatformForbiddenError, false],
    [422, PlatformRejectedError, false],
    [503, PlatformUnavailableError, true],
    [500, PlatformUnavailableError, true],
  ])("maps a %i answer to %o (retryable: %s), keeping Heroku's id and message", async (status, type, retryable) => {
    await control.fault({ method: 'GET', path: '/apps/*/releases', status, message: `injected ${status}`, times: 1 });
    const failure = heroku().listReleases('myapp-staging');
    await expect(failure).rejects.toBeInstanceOf(type);
    await expect(failure).rejects.toMatchObject({
      status,
      retryable,
      message: expect.stringContaining(`injected ${status}`),
    });
    // The fault was used up: the next call succeeds.
    expect(await heroku().listReleases('myapp-staging', { limit: 1 })).toHaveLength(1);
  });

  it("maps 429 to a rate-limit error carrying the wait, Retry-After's or a default", async () => {
    await control.fault({ path: '/apps/', status: 429, retryAfter: 7, times: 1 });
    await expect(heroku().getApp('myapp')).rejects.toMatchObject({
      constructor: PlatformRateLimitError,
      platformId: 'rate_limit',
      retryAfterMs: 7_000,
      message: expect.stringContaining('reached the API rate limit'),
    });
    await control.fault({ path: '/apps/', status: 429, times: 1 });
    await expect(heroku().getApp('myapp')).rejects.toMatchObject({ retryAfterMs: 5_000 });
  });

  it('reports an unknown app, a wrong token and a missing slug as Heroku does', async () => {
    await expect(heroku().getApp('no-such-app')).rejects.toMatchObject({
      constructor: PlatformNotFoundError,
      status: 404,
      platformId: 'not_found',
      message: "Heroku answered 404 not_found: Couldn't find that app.",
    });
    await expect(heroku({ token: 'wrong' }).getApp('myapp')).rejects.toBeInstanceOf(PlatformForbiddenError);
    await expect(
      heroku().createRelease('myapp', { slug: '00000000-0000-4000-8000-000000000000', description: 'x' }),
    ).rejects.toBeInstanceOf(PlatformNotFoundError);
  });

  it('gives up on a slow answer at its timeout, as a retryable error', async () => {
    await control.fault({ path: '/apps/myapp', latencyMs: 1_000, times: 1 });
    const started = Date.now();
    await expect(heroku({ timeoutMs: 150 }).getApp('myapp')).rejects.toThrow(
      'Heroku GET /apps/myapp got no answer within 150 ms',
    );
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('surfaces a lost answer as retryable, although the platform made the release', async () => {
    const [staging] = await heroku().listReleases('myapp-staging', { limit: 1 });
    const before = await heroku().listReleases('myapp', { limit: 1 });
    await control.fault({ method: 'POST', path: '/apps/myapp/releases', dropResponse: true, times: 1 });
    const lost = heroku().createRelease('myapp', { slug: staging?.slugId ?? '', description: 'lost answer' });
    await expect(lost).rejects.toMatchObject({
      constructor: PlatformUnavailableError,
      retryable: true,
      message: expect.stringContaining('failed before an answer arrived'),
    });
    const [after] = await heroku().listReleases('myapp', { limit: 1 });
    expect(after).toMatchObject({ version: (before[0]?.version ?? 0) + 1, description: 'lost answer' });
  });
});

describe("the simulator's answers", () => {
  const validate = herokuSchema();
  const get = (path: string) =>
    fetch(`${sim.url}${path}`, {
      headers: { Accept: 'application/vnd.heroku+json; version=3', Authorization: `Bearer ${TOKEN}` },
    });

  it("match Heroku's own JSON schema for apps, releases and slugs", async () => {
    const app = await (await get('/apps/myapp')).json();
    const releases = (await (await get('/apps/myapp-staging/releases')).json()) as { slug: { id: string } | null }[];
    const slugId = releases.find((r) => r.slug)?.slug?.id;
    const slug = await (await get(`/apps/myapp-staging/slugs/${slugId}`)).json();
    const checks: ['app' | 'release' | 'slug', unknown][] = [
      ['app', app],
      ['slug', slug],
      ...releases.map((r): ['release', unknown] => ['release', r]),
    ];
    for (const [definition, body] of checks) {
      const check = validate(definition);
      expect(check(body), `${definition}: ${JSON.stringify(check.errors)}`).toBe(true);
    }
    // The check has teeth: an extra field or a missing one fails it.
    expect(validate('release')({ ...releases[0], extra: true })).toBe(false);
    const { current: _current, ...withoutCurrent } = releases[0] as Record<string, unknown>;
    expect(validate('release')(withoutCurrent)).toBe(false);
  });

  it("refuse requests without the v3 Accept header or a token, in Heroku's error shape", async () => {
    const noAccept = await fetch(`${sim.url}/apps/myapp`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(noAccept.status).toBe(406);
    expect(await noAccept.json()).toMatchObject({ id: 'not_acceptable' });
    const noToken = await fetch(`${sim.url}/apps/myapp`, {
      headers: { Accept: 'application/vnd.heroku+json; version=3' },
    });
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toEqual({ id: 'unauthorized', message: 'Invalid credentials provided.' });
  });
});
