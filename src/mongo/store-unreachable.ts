import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

/** The user's words for a MongoDB that does not answer: what they asked was not done, and nothing was half-done. */
export const STORE_UNREACHABLE =
  'pipeline-bot cannot reach its database right now; nothing was changed. Try again in a minute.';

/** MongoDB did not answer at all (as opposed to refusing one operation). */
export function isStoreUnreachable(err: unknown): boolean {
  return (
    err instanceof MongoServerSelectionError ||
    err instanceof MongoNetworkError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoNotConnectedError
  );
}
