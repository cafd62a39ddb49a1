import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../local-services/wait-for.js';
import { slackHeaders } from '../playground/slack-signature.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STOP_GRACE_MS = 12_000;

export type BotProcess = {
  url: string;
  pid: number | undefined;
  /** SIGTERM, then SIGKILL if it has not finished its graceful shutdown in time. */
  stop(): Promise<void>;
};

/**
 * The bot as its own process in role `all`, started the way `npm run dev` starts it, with exactly `env` (no
 * inherited secrets). Each JSON log line goes to `onLog`. Resolves once the web role takes Slack requests.
 */
export async function startBotProcess(
  env: Record<string, string>,
  onLog: (line: string) => void,
  signal: AbortSignal,
  onSpawn: (pid: number | undefined) => void = () => {},
): Promise<BotProcess> {
  signal.throwIfAborted();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', 'all'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C meant for the demo reaches the bot only through the demo, in order.
    detached: true,
  });
  onSpawn(child.pid);
  forwardLines(child, onLog);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${env.PORT}`;
  const bot = { url, pid: child.pid, stop: () => stopChild(child, exited) };
  try {
    await Promise.race([
      waitFor('the bot to take Slack requests', () => takesSlackRequests(url, env), 60_000),
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
      exited.then((code) => {
        throw new Error(`the bot exited with code ${code} while starting; its log is above`);
      }),
    ]);
  } catch (err) {
    await bot.stop();
    throw err;
  }
  return bot;
}

/**
 * Slack's own handshake, signed: Bolt answers the challenge once it listens (before the store's indexes exist the
 * web role answers 503). In Socket Mode no Slack request comes over HTTP, so ready is as /readyz says.
 */
async function takesSlackRequests(url: string, env: Record<string, string>): Promise<true | undefined> {
  const secret = env.SLACK_SIGNING_SECRET;
  if (env.SLACK_APP_TOKEN || !secret) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    return res?.ok ? true : undefined;
  }
  const body = JSON.stringify({ type: 'url_verification', token: 'demo', challenge: 'ready?' });
  const res = await fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...slackHeaders(secret, body) },
    body,
  }).catch(() => undefined);
  return res?.ok && (await res.text()).includes('ready?') ? true : undefined;
}

function forwardLines(child: ChildProcess, onLog: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLog(line);
    });
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
