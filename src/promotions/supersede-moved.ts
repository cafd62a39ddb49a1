import type { Logger } from '../create-logger.js';
import { currentRelease } from '../platform/current-release.js';
import type { Platform, Release } from '../platform/platform.js';
import type { Promotion } from './promotion.js';
import { recordTransition, type TransitionDeps } from './record-transition.js';

/** A release of an app as the bot learned of it: from its own write, a webhook, the watcher or a diff. */
export type SeenRelease = Pick<Release, 'id' | 'version' | 'slugId' | 'description'>;

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
  deps: TransitionDeps,
  app: string,
  release: SeenRelease,
  teamId?: string,
): Promise<Promotion[]> {
  const reason = movedReason(app, release);
  const ended: Promotion[] = [];
  for (const p of await deps.promotions.openInto(app, teamId)) {
    if (!movedBy(p, release)) continue;
    const done = await recordTransition(
      deps,
      p,
      { state: 'superseded', error: reason },
      { type: 'superseded', reason },
    );
    if (done) ended.push(done);
  }
  return ended;
}

/**
 * The poller's part for apps no webhook reports on: each app with open requests has its current release read
 * (one platform call an app), and what moved is superseded.
 */
export async function watchDownstreams(
  deps: TransitionDeps & { platform: Platform; logger: Logger },
): Promise<{ apps: number; superseded: number }> {
  const open = await deps.promotions.inStates(['pending_approval', 'approved']);
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
