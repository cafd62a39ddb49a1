import { callJson } from './call-json.js';
import type { AppInfo, Platform, Release, Slug } from './platform.js';

export type HerokuOptions = {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  /** Releases asked for per page (Heroku's default is 200, its maximum 1000). */
  pageSize?: number;
  fetch?: typeof fetch;
};

type HerokuRelease = {
  id: string;
  version: number;
  description: string;
  status: Release['status'];
  current: boolean;
  slug: { id: string } | null;
  user: { email: string };
  created_at: string;
};

/** Heroku's Platform API v3 (or anything that speaks it, like our simulator). */
export function createHerokuPlatform(options: HerokuOptions): Platform {
  const pageSize = Math.min(options.pageSize ?? 200, 1000);
  const call = (method: 'GET' | 'POST', path: string, extra: { body?: unknown; range?: string } = {}) =>
    callJson({
      service: 'Heroku',
      method,
      url: options.baseUrl.replace(/\/$/, '') + path,
      headers: {
        Accept: 'application/vnd.heroku+json; version=3',
        Authorization: `Bearer ${options.token}`,
        'User-Agent': 'pipeline-bot/0.1',
        ...(extra.range ? { Range: extra.range } : {}),
      },
      body: extra.body,
      timeoutMs: options.timeoutMs ?? 10_000,
      fetch: options.fetch,
    });
  const app = (name: string) => `/apps/${encodeURIComponent(name)}`;

  return {
    getApp: async (name) => toAppInfo((await call('GET', app(name))).body as HerokuApp),
    listReleases: async (name, opts = {}) => {
      const limit = opts.limit ?? 10;
      const releases: Release[] = [];
      let range: string | null = `version ..; max=${Math.min(pageSize, limit)}, order=desc`;
      while (range && releases.length < limit) {
        const answer = await call('GET', `${app(name)}/releases`, { range });
        releases.push(...(answer.body as HerokuRelease[]).map(toRelease));
        // 206 + Next-Range: more pages. The header is opaque; send it back as it came.
        range = answer.status === 206 ? answer.headers.get('next-range') : null;
      }
      return releases.slice(0, limit);
    },
    getSlug: async (name, slugId) => {
      const slug = (await call('GET', `${app(name)}/slugs/${encodeURIComponent(slugId)}`)).body as HerokuSlug;
      return { id: slug.id, commit: slug.commit, commitDescription: slug.commit_description } satisfies Slug;
    },
    createRelease: async (name, input) =>
      toRelease((await call('POST', `${app(name)}/releases`, { body: input })).body as HerokuRelease),
    rollback: async (name, releaseId) =>
      toRelease((await call('POST', `${app(name)}/releases`, { body: { release: releaseId } })).body as HerokuRelease),
  };
}

type HerokuApp = { id: string; name: string; web_url: string | null; released_at: string | null };
type HerokuSlug = { id: string; commit: string | null; commit_description: string | null };

function toAppInfo(app: HerokuApp): AppInfo {
  return {
    id: app.id,
    name: app.name,
    webUrl: app.web_url,
    releasedAt: app.released_at ? new Date(app.released_at) : null,
  };
}

function toRelease(release: HerokuRelease): Release {
  return {
    id: release.id,
    version: release.version,
    description: release.description,
    status: release.status,
    current: release.current,
    slugId: release.slug?.id ?? null,
    userEmail: release.user.email,
    createdAt: new Date(release.created_at),
  };
}
