import { differenceInSeconds } from 'date-fns';

/** `45s ago`, `1m ago`, `3h ago`, `2d ago`: the seed's compact release times. */
export function shortAgo(date: Date, now: Date): string {
  const seconds = Math.max(0, differenceInSeconds(now, date));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3_600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}
