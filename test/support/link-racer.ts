// A separate process that adds pipeline links on command, so tests can race two real processes.
// Reads JSON lines {id, teamId, upstream, downstream, at} on stdin; at time `at` it adds the link and prints
// {id, ok, error?} on stdout. With LINK_RACER_LEASE=off it skips the team lease, leaving only the unique index
// and the re-check to keep the graph sound.
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/create-logger.js';
import { createDeps } from '../../src/deps.js';
import type { Leases } from '../../src/mongo/mongo-lease.js';
import { createPipelineService } from '../../src/pipelines/pipeline-service.js';

type Command = { id: string; teamId: string; upstream: string; downstream: string; at: number };

const deps = createDeps(loadConfig(), createLogger('silent'));
const withoutLease: Leases = {
  acquire: async () => ({ release: async () => {}, held: () => true }),
  withLease: (_teamId, _name, _busy, work) => work(),
};
const pipelines =
  process.env.LINK_RACER_LEASE === 'off'
    ? createPipelineService({ ...deps.stores, leases: withoutLease, now: deps.now })
    : deps.pipelines;
const lines = createInterface({ input: process.stdin });

lines.on('line', async (line) => {
  const command = JSON.parse(line) as Command;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, command.at - Date.now())));
  const actor = { teamId: command.teamId, userId: `U${process.pid}` };
  try {
    await pipelines.addLink(actor, command.upstream, command.downstream);
    process.stdout.write(`${JSON.stringify({ id: command.id, ok: true })}\n`);
  } catch (err) {
    const error = `${(err as Error).name}: ${(err as Error).message}`;
    process.stdout.write(`${JSON.stringify({ id: command.id, ok: false, error })}\n`);
  }
});
lines.on('close', () => void deps.close());
process.stdout.write('ready\n');
