import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FaultLedger } from './fault-ledger.js';
import type { FaultSize } from './fault-options.js';
import type { Invariant } from './invariant.js';

export type FaultReport = {
  size: FaultSize;
  seed: number;
  wallSeconds: number;
  invariants: Invariant[];
  ledger: FaultLedger;
  totals: Record<string, number | string>;
  /** Where the logs and the servers' data are, when the run keeps them. */
  kept?: string;
};

const EVIDENCE_SHOWN = 12;

/** The run's result as `name: value` lines: the invariants first, then what was done to get there. */
export function reportLines(r: FaultReport): string[] {
  const lines = ['', '== invariants =='];
  for (const i of r.invariants) lines.push(`${i.name}: ${i.value}`);
  lines.push('', '== run ==');
  lines.push(`wall time: ${r.wallSeconds.toFixed(0)} s`);
  lines.push(`seed: ${r.seed} (again: npm run test:faults -- --size ${r.size.name} --seed ${r.seed})`);
  lines.push(`size: ${r.size.name} (${r.size.apps} downstream apps, target ${r.size.approvals} approved promotions)`);
  for (const [kind, n] of [...r.ledger.counts].sort(([a], [b]) => a.localeCompare(b))) lines.push(`${kind}: ${n}`);
  for (const [name, value] of Object.entries(r.totals)) lines.push(`${name}: ${value}`);
  for (const note of r.ledger.notes) lines.push(`note: ${note}`);
  const broken = r.invariants.filter((i) => !i.ok);
  if (broken.length > 0) {
    lines.push('', '== evidence ==');
    for (const i of broken) {
      lines.push(`${i.name} (${i.value}):`);
      for (const e of i.evidence.slice(0, EVIDENCE_SHOWN)) lines.push(`  ${e}`);
      if (i.evidence.length > EVIDENCE_SHOWN)
        lines.push(`  … and ${i.evidence.length - EVIDENCE_SHOWN} more (in the JSON)`);
    }
  }
  const held = r.invariants.length - broken.length;
  const where = r.kept ? `; logs and data kept in ${r.kept}` : '';
  lines.push('', `fault run: ${held} invariants held, ${broken.length} broke${where}`);
  return lines;
}

/** What CI reads: each invariant counts as one test that passed or failed. */
export function writeFaultJson(path: string, r: FaultReport): void {
  const json = {
    size: r.size.name,
    seed: r.seed,
    wallSeconds: Math.round(r.wallSeconds),
    invariants: r.invariants,
    counts: Object.fromEntries(r.ledger.counts),
    totals: r.totals,
    notes: r.ledger.notes,
    kills: r.ledger.kills,
    redisOutages: r.ledger.redisOutages,
    kept: r.kept,
  };
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
  // CI writes it into the repository (.ci/faults.json), where `biome check .` would otherwise flag its layout.
  spawnSync(BIOME, ['format', '--write', path], { stdio: 'ignore' });
}

const BIOME = fileURLToPath(new URL('../../node_modules/.bin/biome', import.meta.url));
