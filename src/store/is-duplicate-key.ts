import { MongoServerError } from 'mongodb';

/** A unique index refused the write (E11000): someone else got there first. */
export function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === 11000;
}
