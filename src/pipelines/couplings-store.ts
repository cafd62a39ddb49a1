import type { Collection, Db, IndexDescription } from 'mongodb';
import { insertIfAbsent } from '../mongo/duplicate-key.js';
import type { Link } from './pipeline-graph.js';

export type Coupling = Link & { teamId: string; createdBy: string; createdAt: Date };

export type CouplingsStore = {
  /** Every link of the team's pipelines. */
  links(teamId: string): Promise<Link[]>;
  /** False when the app already has a downstream (the unique index refused it). */
  insert(coupling: Coupling): Promise<boolean>;
  /** Removes `app`'s link; returns what was removed, or null when it had none. */
  remove(teamId: string, app: string, downstream?: string): Promise<Coupling | null>;
};

export const COUPLINGS_INDEXES: IndexDescription[] = [
  { key: { teamId: 1, app: 1 }, name: 'team_app', unique: true },
  { key: { teamId: 1, downstream: 1 }, name: 'team_downstream' },
];

export function createCouplingsStore(db: Db): CouplingsStore {
  const couplings: Collection<Coupling> = db.collection('couplings');
  return {
    links: (teamId) =>
      couplings.find({ teamId }, { projection: { _id: 0, app: 1, downstream: 1 } }).toArray() as Promise<Link[]>,
    insert: (coupling) => insertIfAbsent(couplings, { ...coupling }),
    remove: async (teamId, app, downstream) => {
      // No projection here: FerretDB does not implement findAndModify's `fields`.
      const removed = await couplings.findOneAndDelete({
        teamId,
        app,
        ...(downstream === undefined ? {} : { downstream }),
      });
      if (!removed) return null;
      const { _id, ...coupling } = removed;
      return coupling;
    },
  };
}
