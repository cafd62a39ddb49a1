import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './find-binary.js';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

/** A throwaway server process on a loopback port, with its data in a temp folder removed on stop. */
export type ThrowawayServer = {
  url: string;
  port: number;
  /** Stops the process (data folder kept, so `start` can bring the same server back). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  destroy(): Promise<void>;
  /** The running process's id (none while stopped). */
  pid(): number | undefined;
};

/** `parentDir`: where its data folder goes (a temp folder of its own by default); `detached`: its own process
 * group, so a Ctrl-C meant for the demo reaches it only when the demo stops it, after the bot. */
export type ServerPlacement = { parentDir?: string; detached?: boolean; onSpawn?: (pid: number | undefined) => void };

/** A server that does not stop within this long after SIGTERM is killed. */
const STOP_GRACE_MS = 5_000;

type ServerSpec = {
  name: 'redis-server' | 'ferretdb';

  args(port: number, dir: string): string[];
  url(port: number): string;
  ready(port: number): Promise<boolean>;
};

export async function startThrowawayServer(
  spec: ServerSpec,
  placement: ServerPlacement = {},
): Promise<ThrowawayServer> {
  const binary = findBinary(spec.name);
  const dir = mkdtempSync(join(placement.parentDir ?? tmpdir(), `pipeline-bot-${spec.name}-`));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    output = '';
    const proc = spawn(binary, spec.args(port, dir), {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: placement.detached ?? false,
    });
    child = proc;
    placement.onSpawn?.(proc.pid);
    proc.stdout?.on('data', (chunk) => (output += chunk));
    proc.stderr?.on('data', (chunk) => (output += chunk));
    try {
      await waitFor(`${spec.name} on port ${port}`, async () => {
        if (proc.exitCode !== null) throw new Error(`${spec.name} exited (${proc.exitCode}): ${output.slice(-2000)}`);
        return (await spec.ready(port)) ? true : undefined;
      });
    } catch (err) {
      // One that never became ready must not outlive the attempt (detached, nobody else would end it).
      await stop();
      throw err;
    }
  };
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    url: spec.url(port),
    port,
    start,
    stop,
    pid: () => child?.pid,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
