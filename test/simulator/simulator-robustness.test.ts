import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../src/http/create-http-server.js';
import { createGithubCodeHost } from '../../src/platform/github-code-host.js';
import { createHerokuPlatform } from '../../src/platform/heroku-platform.js';
import { PlatformUnavailableError } from '../../src/platform/platform-errors.js';
import { type Simulator, startSimulator } from '../../src/simulator/start-simulator.js';
import { simControl } from '../support/sim-control.js';

const TOKEN = 'robust-token';
let sim: Simulator;
let control: ReturnType<typeof simControl>;
const heroku = () => createHerokuPlatform({ baseUrl: sim.url, token: TOKEN, timeoutMs: 2_000 });
const raw = (path: string, init: RequestInit = {}) =>
  fetch(`${sim.url}${path}`, {
    ...init,
    headers: {
      Accept: 'application/vnd.heroku+json; version=3',
      Authorization: `Bearer ${TOKEN}`,
      'Content-Type': 'application/json',
      ...init.headers,
    },
  });

beforeAll(async () => {
  sim = await startSimulator({ token: TOKEN });
  control = simControl(sim.url);
  await control.addApp('myapp', 'acme/myapp');
  await control.addApp('myapp-staging', 'acme/myapp');
  for (const message of ['one', 'two', 'three']) await control.deploy('myapp-staging', message);
});
afterAll(() => sim.close());

describe('the simulator under awkward requests', () => {
  it('answers 201 to a release and to a rollback, as Heroku does', async () => {
    const [staging] = await heroku().listReleases('myapp-staging', { limit: 1 });
    const created = await raw('/apps/myapp/releases', {
      method: 'POST',
      body: JSON.stringify({ slug: staging?.slugId, description: 'x' }),
    });
    expect(created.status).toBe(201);
    const [, previous] = await heroku().listReleases('myapp-staging', { limit: 2 });
    const rolledBack = await raw('/apps/myapp-staging/releases', {
      method: 'POST',
      body: JSON.stringify({ release: previous?.id }),
    });
    expect(rolledBack.status).toBe(201);
  });

  it('refuses to roll back to the empty first release', async () => {
    const releases = await heroku().listReleases('myapp-staging', { limit: 20 });
    const first = releases.find((r) => r.version === 1);
    await expect(heroku().rollback('myapp-staging', first?.id ?? '')).rejects.toMatchObject({
      status: 422,
      platformId: 'invalid_params',
    });
  });

  it('treats `N..` as starting at N and `]N..` as starting after it', async () => {
    const versions = async (range: string) =>
      (
        (await (await raw('/apps/myapp-staging/releases', { headers: { Range: range } })).json()) as {
          version: number;
        }[]
      ).map((r) => r.version);
    expect(await versions('version 2..; max=2, order=asc')).toEqual([2, 3]);
    expect(await versions('version ]2..; max=2, order=asc')).toEqual([3, 4]);
    expect(await versions('version 3..; max=10, order=desc')).toEqual([3, 2, 1]);
  });

  it('matches a fault path at segment boundaries, by * glob, or by regular expression', async () => {
    await control.fault({ path: '/apps/myapp', status: 503, times: 5 });
    expect(await heroku().getApp('myapp-staging')).toMatchObject({ name: 'myapp-staging' });
    await expect(heroku().getApp('myapp')).rejects.toBeInstanceOf(PlatformUnavailableError);
    await control.clearFaults();
    await control.fault({ path: '^/apps/[^/]+/slugs/', status: 500, times: 1 });
    const [current] = await heroku().listReleases('myapp-staging', { limit: 1 });
    await expect(heroku().getSlug('myapp-staging', current?.slugId ?? '')).rejects.toMatchObject({ status: 500 });
    await control.clearFaults();
  });

  it('checks credentials before faults, and survives malformed faults and paths', async () => {
    await control.fault({ path: '/apps/', status: 503, times: 1 });
    const anonymous = await fetch(`${sim.url}/apps/myapp`, {
      headers: { Accept: 'application/vnd.heroku+json; version=3' },
    });
    expect(anonymous.status).toBe(401);
    await control.clearFaults();
    await expect(control.fault({ path: '/apps/', method: 5 as unknown as string })).rejects.toThrow(/422/);
    await expect(control.fault({ path: '/apps/', dropResponse: 'no' as unknown as boolean })).rejects.toThrow(/422/);
    expect((await raw('/apps/%E0%A4%A')).status).toBe(400);
    expect(await heroku().getApp('myapp')).toMatchObject({ name: 'myapp' });
  });

  it('lets the GitHub adapter time out like the Heroku one', async () => {
    await control.fault({ path: '/github/', latencyMs: 1_000, times: 1 });
    const github = createGithubCodeHost({ apiUrl: `${sim.url}/github`, timeoutMs: 100 });
    await expect(github.compare('acme/myapp', 'aaaaaaa', 'bbbbbbb')).rejects.toThrow('got no answer within 100 ms');
  });
});

describe('closing the simulator', () => {
  it('does not wait for a stuck webhook receiver or a pending fault delay', async () => {
    const stuck = createServer(() => {});
    const port = await listen(stuck, 0, '127.0.0.1');
    const other = await startSimulator({ token: 't' });
    const ctl = simControl(other.url);
    await ctl.webhook(`http://127.0.0.1:${port}/hook`, 'secret');
    await ctl.fault({ path: '/apps/', latencyMs: 60_000 });
    await ctl.addApp('myapp');
    void fetch(`${other.url}/apps/myapp`, {
      headers: { Authorization: 'Bearer t', Accept: 'application/vnd.heroku+json; version=3' },
    }).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    stuck.closeAllConnections();
    stuck.close();
  });
});
