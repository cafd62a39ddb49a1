import { RefusedError } from '../errors.js';
import type { AppLock } from '../pipelines/apps-store.js';

export function lockedError(app: string, lock: AppLock, verb = 'promote into it'): RefusedError {
  const reason = lock.reason ? `: "${lock.reason}"` : '';
  return new RefusedError(
    `${app} is locked by <@${lock.by}>${reason}. Unlock it (/pipeline unlock ${app}) to ${verb}.`,
  );
}
