import { createHash, randomUUID } from 'node:crypto';
import { notFound, SimError } from './sim-error.js';

export type SimApp = { id: string; name: string; repo: string | null; createdAt: Date };
export type SimCommit = { sha: string; message: string; author: string; date: Date };
export type SimSlug = {
  id: string;
  appId: string;
  commit: string | null;
  commitDescription: string | null;
  createdAt: Date;
};
export type SimRelease = {
  id: string;
  appId: string;
  version: number;
  description: string;
  status: 'succeeded';
  slugId: string | null;
  userEmail: string;
  createdAt: Date;
};

export type SimStateOptions = { now?: () => Date; userEmail?: string };

const APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;

/**
 * The simulated platform's memory: apps, a commit history per repository (apps without one get their own),
 * slugs and numbered releases. Every change of an app's releases is reported to `onRelease` listeners.
 */
export function createSimState(options: SimStateOptions = {}) {
  const now = options.now ?? (() => new Date());
  const defaultEmail = options.userEmail ?? 'you@yourcompany.com';
  const apps = new Map<string, SimApp>();
  const histories = new Map<string, SimCommit[]>();
  const slugs = new Map<string, SimSlug>();
  const releases = new Map<string, SimRelease[]>();
  const listeners: ((release: SimRelease, app: SimApp) => void)[] = [];

  const app = (name: string) => apps.get(name) ?? throwIt(notFound('app'));
  const releasesOf = (a: SimApp) => releases.get(a.id) ?? [];
  const historyKey = (a: SimApp) => a.repo ?? `app:${a.name}`;

  function release(a: SimApp, slugId: string | null, description: string, userEmail = defaultEmail) {
    const list = releasesOf(a);
    const created: SimRelease = {
      id: randomUUID(),
      appId: a.id,
      version: (list.at(-1)?.version ?? 0) + 1,
      description,
      status: 'succeeded',
      slugId,
      userEmail,
      createdAt: now(),
    };
    releases.set(a.id, [...list, created]);
    for (const listener of listeners) listener(created, a);
    return created;
  }

  return {
    onRelease: (listener: (release: SimRelease, app: SimApp) => void) => void listeners.push(listener),
    addApp(name: string, repo: string | null = null): SimApp {
      if (!APP_NAME.test(name)) throw new SimError(422, 'invalid_params', `Name ${JSON.stringify(name)} is invalid.`);
      if (apps.has(name)) throw new SimError(422, 'invalid_params', 'Name is already taken');
      const created = { id: randomUUID(), name, repo, createdAt: now() };
      apps.set(name, created);
      release(created, null, 'Initial release');
      return created;
    },
    /** Appends commits to the app's history, builds a slug of the new head and releases it (`Deploy <sha7>`). */
    deploy(name: string, commits: { message: string; author: string }[], userEmail?: string): SimRelease {
      const a = app(name);
      if (commits.length === 0) throw new SimError(422, 'invalid_params', 'A deploy needs at least one commit.');
      const key = historyKey(a);
      const history = histories.get(key) ?? [];
      for (const commit of commits) {
        const sha = createHash('sha1')
          .update(`${key}\n${history.length}\n${commit.message}\n${commit.author}`)
          .digest('hex');
        history.push({ sha, message: commit.message, author: commit.author, date: now() });
      }
      histories.set(key, history);
      const head = history.at(-1) as SimCommit;
      const slug: SimSlug = {
        id: randomUUID(),
        appId: a.id,
        commit: head.sha,
        commitDescription: head.message.split('\n')[0] ?? '',
        createdAt: now(),
      };
      slugs.set(slug.id, slug);
      return release(a, slug.id, `Deploy ${head.sha.slice(0, 7)}`, userEmail);
    },
    createRelease(name: string, slugId: string, description: string): SimRelease {
      const a = app(name);
      if (!slugs.has(slugId)) throw notFound('slug');
      return release(a, slugId, description);
    },
    rollback(name: string, releaseId: string): SimRelease {
      const a = app(name);
      const target = releasesOf(a).find((r) => r.id === releaseId) ?? throwIt(notFound('release'));
      if (!target.slugId) throw new SimError(422, 'invalid_params', `v${target.version} has no slug to roll back to.`);
      return release(a, target.slugId, `Rollback to v${target.version}`);
    },
    app,
    releasesOf: (name: string) => releasesOf(app(name)),
    currentRelease: (name: string) => releasesOf(app(name)).at(-1) as SimRelease,
    /** A slug the app may read: its own, or one any of its releases runs (a promoted one). */
    slugOf(name: string, slugId: string): SimSlug {
      const a = app(name);
      const slug = slugs.get(slugId);
      if (!slug || (slug.appId !== a.id && !releasesOf(a).some((r) => r.slugId === slugId))) throw notFound('slug');
      return slug;
    },
    history: (repo: string) => histories.get(repo) ?? [],
    appById: (id: string) => [...apps.values()].find((a) => a.id === id),
    snapshot: () => ({
      apps: [...apps.values()].map((a) => ({ ...a, releases: releasesOf(a) })),
      slugs: [...slugs.values()],
      histories: Object.fromEntries(histories),
    }),
  };
}

export type SimState = ReturnType<typeof createSimState>;

function throwIt(err: Error): never {
  throw err;
}
