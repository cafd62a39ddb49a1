import { RefusedError } from '../errors.js';
import { currentOf } from '../platform/current-release.js';
import type { Release } from '../platform/platform.js';

/**
 * The release a rollback goes back to: `vN` when given, else the one before the current. Refused, with the reason,
 * when there is nothing to roll back to.
 */
export function pickRollbackTarget(
  app: string,
  releases: Release[],
  version?: number,
): { current: Release; target: Release } {
  const current = currentOf(releases);
  if (!current) throw new RefusedError(`${app} has no releases, so there is nothing to roll back.`);
  const older = releases.filter((r) => r.version < current.version);
  const target = version === undefined ? older[0] : releases.find((r) => r.version === version);
  if (!target) {
    throw new RefusedError(
      version === undefined
        ? `${app} has no release before v${current.version} to roll back to.`
        : `${app} has no v${version} among its last ${releases.length} releases.`,
    );
  }
  if (target.id === current.id)
    throw new RefusedError(`v${version} is ${app}'s current release; there is nothing to roll back.`);
  if (!target.slugId)
    throw new RefusedError(`v${target.version} of ${app} has no build (it is the app's empty first release).`);
  return { current, target };
}
