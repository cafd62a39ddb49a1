import { InvalidInputError } from '../errors.js';
import { parseAppName } from '../pipelines/app-name.js';
import type { AuditPage, AuditStore } from './audit-store.js';

export const MAX_HISTORY_PAGE = 50;

/** The audit trail of an app, newest first, `limit` events a page; `before` is the previous page's `next`. */
export async function readHistory(
  audit: AuditStore,
  teamId: string,
  rawApp: string,
  page: { limit?: number; before?: string } = {},
): Promise<AuditPage & { app: string }> {
  const app = parseAppName(rawApp);
  const limit = page.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_PAGE) {
    throw new InvalidInputError(`The number of events must be a whole number from 1 to ${MAX_HISTORY_PAGE}.`);
  }
  return { app, ...(await audit.list(teamId, app, { limit, before: page.before })) };
}
