import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isRunning } from '../../src/local-services/is-running.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// A temp folder of this file's own: the demo cleans up what killed demos left in it, and must find only ours.
const tmp = mkdtempSync(join(tmpdir(), 'demo-command-'));
const running: ChildProcess[] = [];
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), 'SIGKILL');
  }
});

/** npm passes the signal on to the demo, waits for it, then ends itself by the same signal. */
type DemoRun = { child: ChildProcess; output: () => string; exited: Promise<number | string | null> };

/** `npm run demo` as a newcomer types it, in its own process group so a signal to the group is a terminal's Ctrl-C. */
function startDemo(): DemoRun {
  const child = spawn('npm', ['run', 'demo', '--', '--port', '0', '--playground-port', '0', '--simulator-port', '0'], {
    cwd: root,
    // Only what a fresh shell has: no REDIS_URL or MONGO_URL, so the demo starts its own throwaway servers.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return { child, output: () => output, exited };
}

/** Resolves with the printed line once it appears (the demo says it when ready, or why it could not start). */
function lineMatching(run: DemoRun, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const look = () => {
      const found = pattern.exec(run.output());
      if (found) return resolve(found);
      if (run.child.exitCode !== null) reject(new Error(`the demo exited:\n${run.output()}`));
    };
    run.child.stdout?.on('data', look);
    run.child.once('exit', look);
    look();
  });
}

const alive = isRunning;

describe('npm run demo', () => {
  it('prints the URL to open, serves the playground there, and Ctrl-C leaves no process and no temp folder', async () => {
    const run = startDemo();
    const [, url] = await lineMatching(
      run,
      /ready in [\d.]+ s\. Open (http:\/\/127\.0\.0\.1:\d+) and type \/pipeline show/,
    );
    const [, folder] = await lineMatching(run, /data in (\S+), removed on exit/);
    expect(run.output()).toMatch(/fresh start: new Redis, FerretDB and simulator/);
    const state = (await (await fetch(`${url}/state`)).json()) as { users: unknown[]; platform: { apps: unknown[] } };
    expect(state.users).toHaveLength(3);
    expect(state.platform.apps).toHaveLength(4);
    const started = (JSON.parse(readFileSync(join(folder as string, 'pids.json'), 'utf8')) as { children: number[] })
      .children;
    expect(started).toHaveLength(3); // Redis, FerretDB, the bot
    expect(started.every(alive)).toBe(true);

    process.kill(-(run.child.pid as number), 'SIGINT');
    expect([0, 'SIGINT']).toContain(await run.exited);
    expect(run.output()).toContain('SIGINT: stopping the bot');
    expect(run.output()).toContain('stopped; nothing is left running');
    expect(started.filter(alive)).toEqual([]);
    expect(existsSync(folder as string)).toBe(false);
  }, 120_000);

  it('stops on SIGTERM too, and a run killed outright is cleaned up by the next one, which says so', async () => {
    const first = startDemo();
    const [, folder] = await lineMatching(first, /data in (\S+), removed on exit/);
    await lineMatching(first, /ready in/);
    const leftovers = (JSON.parse(readFileSync(join(folder as string, 'pids.json'), 'utf8')) as { children: number[] })
      .children;
    // The demo itself dies without its cleanup (its children run in their own process groups, so they stay).
    const demoPid = (JSON.parse(readFileSync(join(folder as string, 'pids.json'), 'utf8')) as { demo: number }).demo;
    process.kill(demoPid, 'SIGKILL');
    await first.exited;
    expect(leftovers.filter(alive)).toHaveLength(3);

    const second = startDemo();
    await lineMatching(second, /an earlier demo did not finish its cleanup: stopped 3 leftover process\(es\)/);
    await lineMatching(second, /ready in/);
    expect(leftovers.filter(alive)).toEqual([]);
    expect(existsSync(folder as string)).toBe(false);
    second.child.kill('SIGTERM');
    expect([0, 'SIGTERM']).toContain(await second.exited);
    expect(second.output()).toContain('stopped; nothing is left running');
  }, 120_000);
});
