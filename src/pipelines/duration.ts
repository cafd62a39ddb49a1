import { InvalidInputError } from '../errors.js';
import { echo } from './echo.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MIN_MS = UNIT_MS.m;
const MAX_MS = 30 * UNIT_MS.d;
export const DURATION_FORM = 'a number with m, h or d, from 1m to 30d (e.g. 30m, 24h, 7d)';

/** `30m`, `24h`, `7d` → milliseconds. */
export function parseDuration(raw: string, what: string): number {
  const match = /^(\d{1,5})([mhd])$/.exec(raw.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : Number.NaN;
  if (!(ms >= MIN_MS && ms <= MAX_MS)) {
    throw new InvalidInputError(`${what} must be ${DURATION_FORM}; got "${echo(raw, 20)}".`);
  }
  return ms;
}

/** The largest whole unit: 86400000 → `1d`, 5400000 → `90m`. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${Math.round(ms / UNIT_MS.m)}m`;
}
