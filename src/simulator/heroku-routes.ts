import { appJson, releaseJson, slugJson } from './heroku-json.js';
import { notFound, SimError } from './sim-error.js';
import type { SimRoute } from './sim-route.js';
import type { SimRelease, SimState } from './sim-state.js';

const SEGMENT = '([^/]+)';

/** The subset of Heroku's Platform API the `heroku` adapter uses, answered from the simulator's state. */
export function herokuRoutes(state: SimState): SimRoute[] {
  const releaseOf = (app: string, release: SimRelease) =>
    releaseJson(release, state.app(app), state.currentRelease(app).id === release.id);

  return [
    {
      method: 'GET',
      pattern: new RegExp(`^/apps/${SEGMENT}$`),
      auth: 'heroku',
      handle: ({ params: [app = ''] }) => ({ status: 200, body: appJson(state.app(app), state) }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/apps/${SEGMENT}/releases$`),
      auth: 'heroku',
      handle: ({ params: [app = ''], headers }) => {
        const page = pageOf(state.releasesOf(app), parseRange(headers.range));
        const body = page.items.map((release) => releaseOf(app, release));
        if (!page.next) return { status: 200, body };
        return { status: 206, body, headers: { 'Next-Range': page.next } };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/apps/${SEGMENT}/releases/${SEGMENT}$`),
      auth: 'heroku',
      handle: ({ params: [app = '', id = ''] }) => {
        const release = state.releasesOf(app).find((r) => r.id === id || String(r.version) === id);
        if (!release) throw notFound('release');
        return { status: 200, body: releaseOf(app, release) };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/apps/${SEGMENT}/releases$`),
      auth: 'heroku',
      handle: ({ params: [app = ''], body }) => {
        const input = (body ?? {}) as { slug?: unknown; release?: unknown; description?: unknown };
        if (typeof input.release === 'string')
          return { status: 201, body: releaseOf(app, state.rollback(app, input.release)) };
        if (typeof input.slug !== 'string') throw new SimError(422, 'invalid_params', 'Missing required params: slug.');
        const description = typeof input.description === 'string' ? input.description : '';
        return { status: 201, body: releaseOf(app, state.createRelease(app, input.slug, description)) };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/apps/${SEGMENT}/slugs/${SEGMENT}$`),
      auth: 'heroku',
      handle: ({ params: [app = '', slug = ''] }) => ({ status: 200, body: slugJson(state.slugOf(app, slug)) }),
    },
  ];
}

/** `from` with `exclusive`: Heroku's `]N..` starts after N; `N..` starts at N. */
type Range = { from?: number; exclusive: boolean; max: number; order: 'asc' | 'desc' };

/** `version ..; max=10, order=desc`, or a `Next-Range` we sent (`version ]42..; max=10, order=desc`). */
export function parseRange(header: string | undefined): Range {
  if (!header) return { exclusive: false, max: 200, order: 'asc' };
  const match = /^\s*(version|id)\s+(\])?(\d*)\.\.\s*(?:;\s*(.*))?$/.exec(header);
  if (!match) throw new SimError(416, 'requested_range_not_satisfiable', `Invalid Range header: ${header}`);
  const options = Object.fromEntries(
    (match[4] ?? '').split(/[,;]/).flatMap((part) => {
      const [key, value] = part.split('=').map((s) => s.trim());
      return key ? [[key, value ?? '']] : [];
    }),
  );
  const max = options.max === undefined ? 200 : Number(options.max);
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw new SimError(416, 'requested_range_not_satisfiable', 'max must be between 1 and 1000.');
  }
  const order = options.order === 'desc' ? 'desc' : 'asc';
  const from = match[1] === 'version' && match[3] ? Number(match[3]) : undefined;
  return { from, exclusive: match[2] === ']', max, order };
}

function pageOf(releases: SimRelease[], range: Range): { items: SimRelease[]; next?: string } {
  const sorted = range.order === 'desc' ? [...releases].reverse() : releases;
  const from = range.from;
  const inRange = (version: number) => {
    if (from === undefined) return true;
    if (version === from) return !range.exclusive;
    return range.order === 'desc' ? version < from : version > from;
  };
  const rest = sorted.filter((r) => inRange(r.version));
  const items = rest.slice(0, range.max);
  const last = items.at(-1);
  const next =
    rest.length > range.max && last ? `version ]${last.version}..; max=${range.max}, order=${range.order}` : undefined;
  return { items, next };
}
