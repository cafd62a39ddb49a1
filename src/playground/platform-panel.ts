import { InvalidInputError } from '../errors.js';
import type { createFaults } from '../simulator/sim-faults.js';
import type { SimState } from '../simulator/sim-state.js';

/** The simulator the demo runs: its memory and faults in-process, its Heroku API over HTTP like anyone's. */
export type SimulatorHandle = { url: string; token: string; state: SimState; faults: ReturnType<typeof createFaults> };

const RELEASES_SHOWN = 5;

/**
 * The playground's "Heroku dashboard": what each app runs now, and what a person can do to the platform behind the
 * bot's back (push commits, roll back, make the API fail), so what the bot does about each can be watched.
 */
export function createPlatformPanel(simulator: SimulatorHandle) {
  const { state, faults } = simulator;

  function snapshot() {
    const apps = state.snapshot().apps.map((app) => {
      const releases = [...app.releases].reverse();
      const current = releases[0];
      const slug = current?.slugId ? state.slugOf(app.name, current.slugId) : undefined;
      return {
        name: app.name,
        version: current?.version ?? 0,
        description: current?.description ?? '',
        commit: slug?.commit ?? null,
        userEmail: current?.userEmail ?? '',
        createdAt: current?.createdAt.toISOString(),
        releases: releases.slice(0, RELEASES_SHOWN).map((r) => ({
          version: r.version,
          description: r.description,
          userEmail: r.userEmail,
          createdAt: r.createdAt.toISOString(),
          current: r.id === current?.id,
        })),
      };
    });
    return { apps, faults: faults.list() };
  }

  return {
    snapshot,
    onChange(listener: () => void) {
      state.onRelease(listener);
      faults.onChange(listener);
    },
    deploy(app: string, message: string, author: string) {
      if (!message.trim()) throw new InvalidInputError('Write a commit message first.');
      const email = `${author.split(' ')[0]?.toLowerCase() || 'someone'}@acme.example`;
      return state.deploy(knownApp(state, app), [{ message: message.trim(), author }], email);
    },
    /** Through Heroku's own API, as the dashboard's Roll back button does: a release the bot did not make. */
    async rollback(app: string, version: number) {
      const target = state.releasesOf(knownApp(state, app)).find((r) => r.version === version);
      if (!target) throw new InvalidInputError(`${app} has no v${version}.`);
      const res = await fetch(`${simulator.url}/apps/${app}/releases`, {
        method: 'POST',
        headers: {
          accept: 'application/vnd.heroku+json; version=3',
          authorization: `Bearer ${simulator.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ release: target.id }),
      });
      const body = (await res.json()) as { message?: string; version?: number };
      if (!res.ok) throw new InvalidInputError(`Heroku refused the rollback: ${body.message ?? res.status}`);
      return body;
    },
    /** Heroku's API answers 503 for the next `times` calls (any app, any endpoint). */
    failNext(times: number, status = 503) {
      if (!Number.isInteger(times) || times < 1 || times > 100) throw new InvalidInputError('times must be 1-100.');
      faults.add({ path: '/apps', status, message: 'The platform is unavailable (a playground fault).', times });
    },
    clearFaults: () => faults.clear(),
  };
}

export type PlatformPanel = ReturnType<typeof createPlatformPanel>;

function knownApp(state: SimState, app: string): string {
  try {
    return state.app(app).name;
  } catch {
    throw new InvalidInputError(`There is no app named ${app}.`);
  }
}
