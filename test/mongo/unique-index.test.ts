import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { testEnv } from '../support/test-env.js';

const env = testEnv('unique');
const client = new MongoClient(env.mongoUrl);
afterAll(async () => {
  await env.cleanup();
  await client.close();
});

describe('the ephemeral MongoDB-wire server', () => {
  it('rejects a duplicate on a unique index with code 11000 and keeps the first document', async () => {
    const couplings = client.db().collection('couplings');
    await couplings.createIndex({ teamId: 1, app: 1 }, { unique: true });
    await couplings.insertOne({ teamId: 'T1', app: 'myapp-staging', downstream: 'myapp' });

    const duplicate = couplings.insertOne({ teamId: 'T1', app: 'myapp-staging', downstream: 'other' });
    await expect(duplicate).rejects.toBeInstanceOf(MongoServerError);
    await expect(duplicate).rejects.toMatchObject({ code: 11000 });

    // Another team may use the same app name.
    await couplings.insertOne({ teamId: 'T2', app: 'myapp-staging', downstream: 'other' });
    expect(await couplings.find({ app: 'myapp-staging' }, { projection: { _id: 0 } }).toArray()).toEqual([
      { teamId: 'T1', app: 'myapp-staging', downstream: 'myapp' },
      { teamId: 'T2', app: 'myapp-staging', downstream: 'other' },
    ]);
  });
});
