import type { AppLock } from '../../pipelines/apps-store.js';
import { shortAgo } from '../short-ago.js';
import { slackDate, userText } from './mrkdwn.js';

/** `:lock: myapp is locked by @ana (2h ago): "incident 42"`: who, since when and why, wherever an app is shown. */
export function lockLine(app: string, lock: AppLock, now: Date): string {
  return `:lock: ${app} is locked by <@${lock.by}> (${shortAgo(lock.at, now)})${reasonOf(lock)}. Promotions into it are refused ${untilOf(app, lock)}.`;
}

/** Until when a lock holds: its lapse, if it was given a duration, or an unlock. */
export function untilOf(app: string, lock: AppLock): string {
  const unlock = `/pipeline unlock ${app}`;
  return lock.until
    ? `until ${slackDate(lock.until, '{date_short_pretty} at {time}')} (or ${unlock})`
    : `until ${unlock}`;
}

/** Said in the channel where a lock with a duration was taken, once it lapsed. */
export function lapseLine(app: string, lock: AppLock): string {
  return `:unlock: <@${lock.by}>'s lock on ${app} lapsed${reasonOf(lock)}. Promotions into it are allowed again.`;
}

export function reasonOf(lock: AppLock): string {
  return lock.reason ? `: "${userText(lock.reason)}"` : '';
}
