import { type Collection, type Document, MongoServerError, type OptionalUnlessRequiredId } from 'mongodb';

/** A unique index refused the write (E11000): someone else got there first. */
export function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === 11000;
}

/**
 * Two first-time upserts of one key can race: both miss, both insert, the unique index refuses one. Retrying
 * once finds the winner's document and updates it.
 */
export async function retryOnDuplicateKey<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return write();
  }
}

/** Inserts unless a unique index already holds the key: true for the one writer that got there first. */
export async function insertIfAbsent<T extends Document>(
  collection: Collection<T>,
  doc: OptionalUnlessRequiredId<T>,
): Promise<boolean> {
  try {
    await collection.insertOne(doc);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
