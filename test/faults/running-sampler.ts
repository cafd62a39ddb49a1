import type { Db } from 'mongodb';

const EVERY_MS = 200;

/**
 * Samples the store every 200 ms for requests in state `running`, per downstream app: more than one at once into
 * one app means two deploys raced. A sample FerretDB cannot answer (it is restarting) is counted as missed.
 */
export function startRunningSampler(db: Db) {
  const promotions = db.collection<{ _id: string; downstream: string }>('promotions');
  let samples = 0;
  let missed = 0;
  let max = 0;
  let worst: { downstream: string; ids: string[]; at: number } | undefined;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      try {
        const running = await promotions
          .find({ state: 'running' }, { projection: { _id: 1, downstream: 1 } })
          .maxTimeMS(2_000)
          .toArray();
        samples++;
        const byApp = new Map<string, string[]>();
        for (const p of running) byApp.set(p.downstream, [...(byApp.get(p.downstream) ?? []), p._id]);
        for (const [downstream, ids] of byApp) {
          if (ids.length > max) {
            max = ids.length;
            worst = { downstream, ids, at: started };
          }
        }
      } catch {
        missed++;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, EVERY_MS - (Date.now() - started))));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return { samples, missed, max, worst };
    },
  };
}
