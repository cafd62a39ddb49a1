import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { isSignedBy, readReleaseWebhook } from '../../src/releases/release-webhook.js';
import { signWebhook } from '../../src/simulator/sim-webhooks.js';

const event = (data: Record<string, unknown> = {}, rest: Record<string, unknown> = {}) => ({
  resource: 'release',
  action: 'update',
  data: {
    id: '7e1f0a2c-1b2c-4d5e-8f90-a1b2c3d4e5f6',
    version: 42,
    description: 'Deploy 0f0a53b',
    status: 'succeeded',
    created_at: '2026-11-26T10:00:00Z',
    app: { name: 'myapp' },
    user: { email: 'kim@acme.com' },
    slug: { id: 's1', commit: '0f0a53b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3', commit_description: 'A fix' },
    ...data,
  },
  ...rest,
});

describe('the Heroku webhook signature', () => {
  const body = Buffer.from(JSON.stringify(event()));

  it('accepts base64 HMAC-SHA256 of the raw body with the shared secret', () => {
    expect(isSignedBy('s3cret', body, signWebhook('s3cret', body.toString()))).toBe(true);
  });

  it('refuses a missing, wrong, truncated or other-secret signature, and a body changed by one byte', () => {
    const good = signWebhook('s3cret', body.toString());
    expect(isSignedBy('s3cret', body, undefined)).toBe(false);
    expect(isSignedBy('s3cret', body, '')).toBe(false);
    expect(isSignedBy('s3cret', body, good.slice(0, 20))).toBe(false);
    expect(isSignedBy('s3cret', body, signWebhook('other', body.toString()))).toBe(false);
    expect(isSignedBy('s3cret', Buffer.from(body.toString().replace('42', '43')), good)).toBe(false);
    expect(isSignedBy('s3cret', body, 'not base64 at all !!')).toBe(false);
  });
});

describe('reading a release event', () => {
  it('reads a succeeded release with its slug and commit', () => {
    expect(readReleaseWebhook(event())).toEqual({
      kind: 'release',
      slugId: 's1',
      release: {
        id: '7e1f0a2c-1b2c-4d5e-8f90-a1b2c3d4e5f6',
        app: 'myapp',
        version: 42,
        description: 'Deploy 0f0a53b',
        userEmail: 'kim@acme.com',
        createdAt: new Date('2026-11-26T10:00:00Z'),
        commit: '0f0a53b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3',
        commitDescription: 'A fix',
      },
    });
  });

  it('reads a config-only release, which has no slug', () => {
    const read = readReleaseWebhook(event({ slug: null, description: 'Set FOO config vars' }));
    expect(read).toMatchObject({ kind: 'release', release: { commit: null, description: 'Set FOO config vars' } });
  });

  it('waits for a pending release to succeed, and ignores other resources', () => {
    expect(readReleaseWebhook(event({ status: 'pending' }))).toEqual({
      kind: 'ignored',
      reason: 'release v42 is pending',
    });
    expect(readReleaseWebhook({ resource: 'dyno', action: 'create', data: {} })).toEqual({
      kind: 'ignored',
      reason: 'not a release event (dyno)',
    });
  });

  it('names what is wrong in a malformed release event', () => {
    expect(() => readReleaseWebhook(event({ version: 'two', app: {} }))).toThrow(InvalidInputError);
    expect(() => readReleaseWebhook(event({ version: 'two', app: {} }))).toThrow(/data\.version, data\.app\.name/);
  });
});
