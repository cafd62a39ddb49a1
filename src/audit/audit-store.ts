import { type Collection, type Db, type Filter, type IndexDescription, ObjectId } from 'mongodb';
import { InvalidInputError } from '../errors.js';
import { isDuplicateKey } from '../mongo/duplicate-key.js';
import type { AuditEvent, StoredAuditEvent } from './audit-event.js';

export type AuditPage = {
  events: StoredAuditEvent[] /** Pass back as `before` for the next (older) page. */;
  next?: string;
};

/** Append and read only: the program never updates or deletes an audit event. */
export type AuditStore = {
  append(event: AuditEvent): Promise<void>;
  /** Events concerning `app`, newest first. */
  list(teamId: string, app: string, page?: { limit?: number; before?: string }): Promise<AuditPage>;
};

type AuditDocument = AuditEvent & { _id: ObjectId; key: string };

export const AUDIT_INDEXES: IndexDescription[] = [
  { key: { teamId: 1, app: 1, at: -1 }, name: 'team_app_at' },
  { key: { teamId: 1, apps: 1, at: -1 }, name: 'team_apps_at' },
  { key: { key: 1 }, name: 'key', unique: true },
];

export function createAuditStore(db: Db): AuditStore {
  const audit: Collection<AuditDocument> = db.collection('audit');
  return {
    append: async (event) => {
      const _id = new ObjectId();
      try {
        await audit.insertOne({ _id, ...event, key: event.key ?? _id.toHexString() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },
    list: async (teamId, app, page = {}) => {
      const limit = page.limit ?? 20;
      const filter: Filter<AuditDocument> = { teamId, apps: app, ...olderThan(page.before) };
      const docs = await audit
        .find(filter)
        .sort({ at: -1, _id: -1 })
        .limit(limit + 1)
        .toArray();
      const events = docs.slice(0, limit).map(({ _id, key: _key, ...event }) => ({ id: _id.toHexString(), ...event }));
      const last = docs.length > limit ? events.at(-1) : undefined;
      return { events, next: last && cursorOf(last) };
    },
  };
}

/** Cursor = time and id of the last event shown: ties on `at` are broken by id, so paging never skips or repeats. */
function cursorOf(event: StoredAuditEvent): string {
  return `${event.at.getTime()}.${event.id}`;
}

function olderThan(before: string | undefined): Filter<AuditDocument> {
  if (before === undefined) return {};
  const match = /^(\d+)\.([0-9a-f]{24})$/.exec(before);
  if (!match) throw new InvalidInputError('That history page link is not valid any more; run /pipeline history again.');
  const at = new Date(Number(match[1]));
  const id = new ObjectId(match[2]);
  return { $or: [{ at: { $lt: at } }, { at, _id: { $lt: id } }] };
}
