import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/local-services/free-port.js';
import { waitFor } from '../../src/local-services/wait-for.js';
import { createHerokuPlatform } from '../../src/platform/heroku-platform.js';
import { simControl } from '../support/sim-control.js';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
});

function runSimulator(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/main.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { output: () => output, exited };
}

describe('npm run simulator', () => {
  it('serves the shipped seed on the given port with the given token', async () => {
    const port = await freePort();
    const sim = runSimulator(['--port', String(port), '--seed', 'seeds/team-pipeline.yml', '--token', 'cli-token']);
    await waitFor('the simulator to listen', () => (sim.output().includes('platform simulator on') ? true : undefined));
    const url = `http://127.0.0.1:${port}`;
    const releases = await createHerokuPlatform({ baseUrl: url, token: 'cli-token' }).listReleases('myapp-staging');
    expect(releases.map((r) => r.version)).toEqual([3, 2, 1]);
    const state = (await simControl(url).state()) as { apps: { name: string; repo: string | null }[] };
    expect(state.apps.map((a) => [a.name, a.repo])).toEqual([
      ['myapp', 'acme/myapp'],
      ['myapp-staging', 'acme/myapp'],
      ['myapp-jim-dev', null],
      ['myapp-kim-dev', null],
    ]);
  });

  it('stops with one clear line when the seed is malformed', async () => {
    const seed = join(tmpdir(), `bad-seed-${process.pid}.json`);
    writeFileSync(seed, JSON.stringify({ apps: [{ name: 'myapp' }], deploys: [{ app: 'myapp', commits: [] }] }));
    const sim = runSimulator(['--port', '0', '--seed', seed]);
    expect(await sim.exited).toBe(1);
    expect(sim.output().trim()).toMatch(/^simulator cannot start: Seed .* is not valid at deploys\.0/);
  });
});
