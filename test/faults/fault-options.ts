import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';

/** The faults the schedule injects (the Slack-side ones the traffic makes as it goes are counted apart). */
export const SCHEDULED_FAULTS = [
  'worker-kill',
  'redis-stop',
  'redis-crash',
  'mongo-restart',
  'platform-503',
  'platform-429',
  'platform-timeout',
  'dropped-answer',
  'late-write',
  'forged-signature',
  'stale-timestamp',
] as const;
export type ScheduledFault = (typeof SCHEDULED_FAULTS)[number];

export type FaultSize = {
  name: 'ci' | 'full';
  /** Downstream apps, each fed by its own staging app. */
  apps: number;
  /** Approved promotions to reach before the traffic stops. */
  approvals: number;
  faults: Record<ScheduledFault, number>;
  /** Seconds between two scheduled faults (a random pick in this range). */
  gapSeconds: [number, number];
  /** The run gives up on reaching `approvals` after this long (and says so). */
  maxTrafficMs: number;
};

const CI: FaultSize = {
  name: 'ci',
  apps: 20,
  approvals: 200,
  faults: {
    'worker-kill': 2,
    'redis-stop': 1,
    'redis-crash': 1,
    'mongo-restart': 1,
    'platform-503': 2,
    'platform-429': 2,
    'platform-timeout': 1,
    'dropped-answer': 2,
    'late-write': 1,
    'forged-signature': 2,
    'stale-timestamp': 2,
  },
  gapSeconds: [1, 3],
  maxTrafficMs: 4 * 60_000,
};

const FULL: FaultSize = {
  name: 'full',
  apps: 24,
  approvals: 1_000,
  faults: {
    'worker-kill': 8,
    'redis-stop': 3,
    'redis-crash': 3,
    'mongo-restart': 3,
    'platform-503': 6,
    'platform-429': 6,
    'platform-timeout': 4,
    'dropped-answer': 6,
    'late-write': 4,
    'forged-signature': 6,
    'stale-timestamp': 6,
  },
  gapSeconds: [5, 15],
  maxTrafficMs: 40 * 60_000,
};

export type FaultOptions = {
  size: FaultSize;
  seed: number;
  /** Where the invariants go as JSON (CI reads it); the run's own folder otherwise. */
  jsonPath?: string;
  /** Keep the run's folder (logs, server data) even when every invariant holds. */
  keep: boolean;
};

const USAGE = 'usage: npm run test:faults -- [--size ci|full] [--seed N] [--json FILE] [--keep]';

export function parseFaultOptions(argv: string[]): FaultOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string', default: 'ci' },
      seed: { type: 'string' },
      json: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const size = values.size === 'full' ? FULL : values.size === 'ci' ? CI : undefined;
  if (!size) throw new Error(`--size must be ci or full. ${USAGE}`);
  const seed = values.seed === undefined ? randomInt(1, 2 ** 31 - 1) : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a whole number. ${USAGE}`);
  return { size, seed, jsonPath: values.json, keep: values.keep };
}
