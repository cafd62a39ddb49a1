import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRunning } from '../../src/local-services/is-running.js';
import { waitFor } from '../../src/local-services/wait-for.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** main.ts gives a graceful shutdown 10 s; past that the process is killed. */
const STOP_GRACE_MS = 12_000;

export type BotRole = 'web' | 'worker';

/**
 * One bot process (`node --import tsx src/main.ts --role X`, as src/demo/bot-process.ts starts it) that can be
 * crashed and started again. Every line of every incarnation goes to its own file in `logDir`
 * (`worker-1.2.log`: the second start of worker-1), which the secrets check reads at the end.
 */
export async function startBotRole(options: {
  name: string;
  role: BotRole;
  env: Record<string, string>;
  logDir: string;
  /** Resolves once this incarnation can take work (rejects when it never will). */
  ready: (bot: { logged: (pattern: RegExp) => boolean }) => Promise<unknown>;
}) {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let incarnation = 0;
  let log: WriteStream | undefined;
  let lines: string[] = [];
  const logFiles: string[] = [];

  const start = async () => {
    incarnation++;
    const file = join(options.logDir, `${options.name}.${incarnation}.log`);
    logFiles.push(file);
    const stream = createWriteStream(file, { flags: 'a' });
    log = stream;
    lines = [];
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', options.role], {
      cwd: ROOT,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const seen = lines;
    for (const output of [proc.stdout, proc.stderr]) {
      let rest = '';
      output?.on('data', (chunk: Buffer) => {
        const parts = (rest + chunk.toString()).split('\n');
        rest = parts.pop() ?? '';
        for (const line of parts) {
          stream.write(`${line}\n`);
          // Only the boot's lines are searched (for readiness); the file keeps them all.
          if (seen.length < 500) seen.push(line);
        }
      });
      output?.on('end', () => rest && stream.write(`${rest}\n`));
    }
    exited = new Promise((resolve) =>
      proc.once('exit', () => {
        // The pipes may still hold the last lines: end the file once they are drained.
        setTimeout(() => stream.end(), 200);
        resolve();
      }),
    );
    const logged = (pattern: RegExp) => seen.some((line) => pattern.test(line));
    const ready = options.ready({ logged });
    // Once the process has exited, the readiness check's own failure later is old news.
    ready.catch(() => {});
    await Promise.race([
      ready,
      exited.then(() => {
        throw new Error(`${options.name} exited while starting; see ${file}`);
      }),
    ]);
  };

  const stop = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    name: options.name,
    role: options.role,
    pid: () => child?.pid,
    incarnation: () => incarnation,
    logFiles: () => [...logFiles],
    /** A crash: no signal handler runs, nothing is closed. Resolves once the process is gone. */
    crash: async () => {
      const pid = child?.pid;
      if (pid === undefined) return;
      child?.kill('SIGKILL');
      await exited;
      await waitFor(`${options.name} (pid ${pid}) to be gone`, () => (isRunning(pid) ? undefined : true));
    },
    start,
    stop,
    flushLog: async () => {
      await exited;
      await new Promise<void>((resolve) => (log?.writableFinished || !log ? resolve() : log.once('finish', resolve)));
    },
  };
}

export type BotRoleProcess = Awaited<ReturnType<typeof startBotRole>>;
