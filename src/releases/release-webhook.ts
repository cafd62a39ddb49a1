import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import type { AnnouncedRelease } from './announcement.js';

/**
 * Heroku signs an app webhook with base64(HMAC-SHA256(secret, raw body)) in `Heroku-Webhook-Hmac-SHA256`.
 * Checked over the raw bytes, before any parsing, and in constant time.
 */
export function isSignedBy(secret: string, rawBody: Buffer, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const releaseEvent = z.object({
  resource: z.string(),
  action: z.string(),
  data: z.object({
    id: z.string().min(1),
    version: z.number().int().positive(),
    // Heroku sends null for a release that has none yet (its own `update` sample of a failed release does).
    description: z.string().nullable(),
    status: z.string(),
    created_at: z.iso.datetime({ offset: true }),
    app: z.object({ name: z.string().min(1) }),
    user: z.object({ email: z.string() }).partial().optional(),
    slug: z
      .object({ id: z.string().nullish(), commit: z.string().nullish(), commit_description: z.string().nullish() })
      .nullish(),
  }),
});

/** `slugId`: the build the release runs, when the event says (it tells a deploy from a config change). */
export type WebhookRelease =
  | { kind: 'release'; release: AnnouncedRelease; slugId?: string }
  | { kind: 'ignored'; reason: string };

/**
 * An `api:release` event carries the release itself. Heroku sends `create` when a release starts and `update`s
 * as it changes, so the same release comes more than once; only a succeeded one is news.
 */
export function readReleaseWebhook(body: unknown): WebhookRelease {
  const resource = (body as { resource?: unknown } | null)?.resource;
  if (resource !== 'release') return { kind: 'ignored', reason: `not a release event (${String(resource)})` };
  const parsed = releaseEvent.safeParse(body);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new InvalidInputError(`The release event is malformed (${where}).`);
  }
  const { data } = parsed.data;
  if (data.status !== 'succeeded') {
    const state = data.status === 'failed' ? 'failed' : `is ${data.status}`;
    return { kind: 'ignored', reason: `release v${data.version} ${state}` };
  }
  return {
    kind: 'release',
    ...(data.slug?.id ? { slugId: data.slug.id } : {}),
    release: {
      id: data.id,
      app: data.app.name,
      version: data.version,
      description: data.description ?? '',
      userEmail: data.user?.email ?? 'unknown',
      createdAt: new Date(data.created_at),
      commit: data.slug?.commit ?? null,
      commitDescription: data.slug?.commit_description ?? null,
    },
  };
}
