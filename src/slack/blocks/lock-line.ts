import type { AppLock } from '../../pipelines/apps-store.js';
import { shortAgo } from '../short-ago.js';
import { userText } from './mrkdwn.js';

/** `:lock: myapp is locked by @ana (2h ago): "incident 42"`: who, since when and why, wherever an app is shown. */
export function lockLine(app: string, lock: AppLock, now: Date): string {
  return `:lock: ${app} is locked by <@${lock.by}> (${shortAgo(lock.at, now)})${reasonOf(lock)}. Promotions into it are refused until /pipeline unlock ${app}.`;
}

export function reasonOf(lock: AppLock): string {
  return lock.reason ? `: "${userText(lock.reason)}"` : '';
}
