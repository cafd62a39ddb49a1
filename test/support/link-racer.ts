// A separate process that adds pipeline links on command, so tests can race two real processes.
// Reads JSON lines {id, teamId, upstream, downstream, at} on stdin; at time `at` it adds the link and prints
// {id, ok, error?} on stdout.
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/create-logger.js';
import { createDeps } from '../../src/deps.js';

type Command = { id: string; teamId: string; upstream: string; downstream: string; at: number };

const deps = createDeps(loadConfig(), createLogger('silent'));
const lines = createInterface({ input: process.stdin });

lines.on('line', async (line) => {
  const command = JSON.parse(line) as Command;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, command.at - Date.now())));
  const actor = { teamId: command.teamId, userId: `U${process.pid}` };
  try {
    await deps.pipelines.addLink(actor, command.upstream, command.downstream);
    process.stdout.write(`${JSON.stringify({ id: command.id, ok: true })}\n`);
  } catch (err) {
    const error = `${(err as Error).name}: ${(err as Error).message}`;
    process.stdout.write(`${JSON.stringify({ id: command.id, ok: false, error })}\n`);
  }
});
lines.on('close', () => void deps.close());
process.stdout.write('ready\n');
