import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/create-logger.js';
import { createDeps } from '../../src/deps.js';
import { checkReadiness } from '../../src/http/check-readiness.js';
import { startFerretDb } from '../../src/local-services/ferretdb-server.js';
import { waitFor } from '../../src/local-services/wait-for.js';
import { ensureIndexesWhenReachable } from '../../src/mongo/ensure-indexes.js';
import { whileStoreAway } from '../../src/mongo/while-store-away.js';
import { testEnv } from '../support/test-env.js';

// Issue 15, finding 7: MongoDB not up when the bot started meant "Topology is closed" forever (the driver gives up
// for good when its first connection fails), /readyz and every Slack request 503 until a restart.
describe('a MongoDB that starts after the bot', () => {
  it('is used once it answers: the indexes get made and the process is ready', async () => {
    const mongo = await startFerretDb();
    await mongo.stop();
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (line: string) => void lines.push(line) });
    const deps = createDeps(testEnv('latemongo').config({ MONGO_URL: `${mongo.url}/late` }), logger, {
      mongoSelectionMs: 300,
    });
    const stopping = new AbortController();
    try {
      const indexed = ensureIndexesWhenReachable(deps.db, logger, stopping.signal, 100);
      // The driver's first connection has failed: before the fix, the client stayed closed from here on.
      await waitFor('the first connection to fail', () =>
        lines.some((l) => /unreachable|Topology/.test(l)) ? true : undefined,
      );
      expect((await checkReadiness(deps, 500)).ready).toBe(false);
      await mongo.start();
      expect(await indexed).toBe(true);
      expect(await checkReadiness(deps)).toMatchObject({ ready: true, checks: { mongo: 'ok' } });
    } finally {
      stopping.abort();
      await deps.close();
      await mongo.destroy();
    }
  }, 30_000);
});

// Found by the fault run: a request stored just before MongoDB restarted was left without its "requested" audit
// event, and its requester was told "nothing was changed". What must finish once begun is tried again.
describe('work that must finish once begun, across a MongoDB restart', () => {
  it('is done once MongoDB is back, not given up on its first failure', async () => {
    const mongo = await startFerretDb();
    const deps = createDeps(
      testEnv('restartmongo').config({ MONGO_URL: `${mongo.url}/restart` }),
      createLogger('silent'),
      {
        mongoSelectionMs: 300,
      },
    );
    try {
      const audit = deps.db.collection('audit');
      await audit.insertOne({ key: 'before' });
      await mongo.stop();
      let tries = 0;
      const written = whileStoreAway(
        async () => {
          tries++;
          await audit.insertOne({ key: 'after' });
        },
        30,
        200,
      );
      await waitFor('a failed try', () => (tries > 1 ? true : undefined));
      await mongo.start();
      await written;
      expect(await audit.countDocuments({ key: 'after' })).toBe(1);
    } finally {
      await deps.close();
      await mongo.destroy();
    }
  }, 30_000);
});
