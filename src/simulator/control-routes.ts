import { SimError } from './sim-error.js';
import { type createFaults, parseFaultRule } from './sim-faults.js';
import type { SimRoute } from './sim-route.js';
import type { SimState } from './sim-state.js';
import type { createSimWebhooks } from './sim-webhooks.js';

type Controls = {
  state: SimState;
  faults: ReturnType<typeof createFaults>;
  webhooks: ReturnType<typeof createSimWebhooks>;
};

/** `/_sim/*`: the contract tests and the demo use to shape the simulated world. Not part of Heroku's API. */
export function controlRoutes({ state, faults, webhooks }: Controls): SimRoute[] {
  const route = (method: SimRoute['method'], pattern: RegExp, handle: SimRoute['handle']): SimRoute => ({
    method,
    pattern,
    auth: 'control',
    handle,
  });
  return [
    route('POST', /^\/_sim\/apps$/, ({ body }) => {
      const { name, repo } = (body ?? {}) as { name?: unknown; repo?: unknown };
      if (typeof name !== 'string') throw new SimError(422, 'invalid_params', 'Missing required params: name.');
      if (repo !== undefined && (typeof repo !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(repo))) {
        throw new SimError(422, 'invalid_params', 'repo must look like owner/name.');
      }
      const app = state.addApp(name, (repo as string | undefined) ?? null);
      return { status: 201, body: { id: app.id, name: app.name, repo: app.repo } };
    }),
    route('POST', /^\/_sim\/apps\/([^/]+)\/deploys$/, ({ params: [app = ''], body }) => {
      const { commits, userEmail } = (body ?? {}) as { commits?: unknown; userEmail?: unknown };
      const valid =
        Array.isArray(commits) &&
        commits.every((c) => typeof c?.message === 'string' && c.message && typeof c?.author === 'string');
      if (!valid) throw new SimError(422, 'invalid_params', 'commits must be a list of {message, author}.');
      const release = state.deploy(app, commits, typeof userEmail === 'string' ? userEmail : undefined);
      const slug = state.slugOf(app, release.slugId ?? '');
      return { status: 201, body: { release: { id: release.id, version: release.version }, slug } };
    }),
    route('GET', /^\/_sim\/state$/, () => ({
      status: 200,
      body: {
        ...state.snapshot(),
        faults: faults.list(),
        lateWritesPending: faults.lateWritesPending(),
        webhooks: webhooks.list(),
        deliveries: webhooks.deliveries(),
      },
    })),
    route('POST', /^\/_sim\/faults$/, ({ body }) => {
      faults.add(parseFaultRule(body));
      return { status: 201, body: { faults: faults.list() } };
    }),
    route('DELETE', /^\/_sim\/faults$/, () => {
      faults.clear();
      return { status: 200, body: { faults: [] } };
    }),
    route('POST', /^\/_sim\/webhooks$/, ({ body }) => {
      const { url, secret, apps } = (body ?? {}) as { url?: unknown; secret?: unknown; apps?: unknown };
      const appList = Array.isArray(apps) && apps.every((a) => typeof a === 'string') ? (apps as string[]) : undefined;
      if (
        typeof url !== 'string' ||
        typeof secret !== 'string' ||
        (apps !== undefined && !appList) ||
        !webhooks.subscribe({ url, secret, apps: appList })
      ) {
        throw new SimError(
          422,
          'invalid_params',
          'A webhook needs an http(s) url, a non-empty secret, and optionally apps: a list of app names.',
        );
      }
      return { status: 201, body: { webhooks: webhooks.list() } };
    }),
  ];
}
