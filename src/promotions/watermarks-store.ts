import type { Collection, Db } from 'mongodb';

/** How far a sweep over time has got (the reconciler's look at cards), so the next pass starts there. */
export type WatermarksStore = {
  get(name: string): Promise<Date | null>;
  set(name: string, at: Date): Promise<void>;
};

export function createWatermarksStore(db: Db): WatermarksStore {
  const marks: Collection<{ _id: string; at: Date }> = db.collection('watermarks');
  return {
    get: async (name) => (await marks.findOne({ _id: name }))?.at ?? null,
    set: async (name, at) => void (await marks.updateOne({ _id: name }, { $set: { at } }, { upsert: true })),
  };
}
