import type { Logger } from '../create-logger.js';
import { currentRelease } from '../platform/current-release.js';
import type { Platform } from '../platform/platform.js';
import type { LearnedReleasesStore, SeenRelease } from './learned-releases-store.js';
import { isOpen, OPEN_STATES, type Promotion } from './promotion.js';
import { type TransitionDeps, transitionAsItStands } from './record-transition.js';

export type SupersedeDeps = TransitionDeps & { learnedReleases: LearnedReleasesStore };

/**
 * Has this release moved the downstream since the request pinned it? A newer build (DESIGN §5: a config-only
 * release keeps the build and does not count); for a rollback, which may restore config, any newer release.
 */
export function movedBy(p: Promotion, release: SeenRelease): boolean {
  if (release.version <= p.downstreamAtRequest.version) return false;
  return p.kind === 'rollback'
    ? release.id !== p.downstreamAtRequest.id
    : release.slugId !== p.downstreamAtRequest.slugId;
}

/** In the words of what happened: `myapp got v7 (Deploy 1a2b3c4) since this was requested`. */
export function movedReason(app: string, release: SeenRelease): string {
  const what = release.description ? ` (${release.description})` : '';
  return `${app} got v${release.version}${what} since this was requested`;
}

/**
 * The downstream got a new release: its open requests no longer describe what Approve would do, so they end at
 * once (superseded, saying by what). Returns those ended, for their cards.
 */
export async function supersedeMoved(
  deps: SupersedeDeps,
  app: string,
  release: SeenRelease,
  teamId?: string,
): Promise<Promotion[]> {
  // Stored before looking, so a request being opened right now sees it (LearnedReleasesStore).
  await deps.learnedReleases.learned(app, release);
  const ended: Promotion[] = [];
  for (const p of await deps.promotions.openInto(app, teamId)) {
    const done = await endIfMoved(deps, p, release);
    if (done) ended.push(done);
  }
  return ended;
}

/** A request just stored: ends it if the bot already knew its downstream had moved. Returns it as it stands. */
export async function supersedeIfKnownMoved(deps: SupersedeDeps, p: Promotion): Promise<Promotion> {
  const newest = await deps.learnedReleases.newest(p.downstream);
  return (newest && (await endIfMoved(deps, p, newest))) || p;
}

function endIfMoved(deps: SupersedeDeps, p: Promotion, release: SeenRelease): Promise<Promotion | null> {
  const reason = movedReason(p.downstream, release);
  return transitionAsItStands(deps, p, async (current) =>
    isOpen(current.state) && movedBy(current, release)
      ? { patch: { state: 'superseded', error: reason }, note: { type: 'superseded', reason } }
      : null,
  );
}

/**
 * The poller's part for apps no webhook reports on: each app with open requests has its current release read
 * (one platform call an app), and what moved is superseded.
 */
export async function watchDownstreams(
  deps: SupersedeDeps & { platform: Platform; logger: Logger },
): Promise<{ apps: number; superseded: number }> {
  const open = await deps.promotions.inStates([...OPEN_STATES]);
  const apps = [...new Set(open.map((p) => p.downstream))];
  let superseded = 0;
  for (const app of apps) {
    try {
      superseded += (await supersedeMoved(deps, app, await currentRelease(deps.platform, app))).length;
    } catch (err) {
      deps.logger.warn({ err, app }, 'watcher: could not read the current release');
    }
  }
  return { apps: apps.length, superseded };
}
