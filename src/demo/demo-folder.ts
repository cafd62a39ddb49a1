import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunning } from '../local-services/is-running.js';

const PREFIX = 'pipeline-bot-demo-';
const PIDS = 'pids.json';
const STARTING_MS = 30_000;

type Record = { demo: number; children: number[] };

/**
 * The one temp folder a demo run keeps its servers' data in, with the pids of what it started, so that a run
 * killed without its cleanup (SIGKILL, a closed laptop) is cleaned up by the next one instead of lingering.
 */
export function createDemoFolder() {
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  const record: Record = { demo: process.pid, children: [] };
  const save = () => writeFileSync(join(dir, PIDS), JSON.stringify(record));
  save();
  // The demo dying of an error must not leave its detached children running: end them as it exits.
  const killAll = () => {
    for (const pid of record.children) if (isRunning(pid)) kill(pid);
  };
  process.once('exit', killAll);
  return {
    dir,
    track(pid: number | undefined) {
      if (pid === undefined) return;
      record.children.push(pid);
      save();
    },
    /** Ends every process it started, at once (a second Ctrl-C). */
    killAll,
    remove: () => {
      process.off('exit', killAll);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Ends what earlier demo runs left behind; says what it found. Folders of a demo still running are left alone. */
export function cleanUpEarlierRuns(): string[] {
  const notes: string[] = [];
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(PREFIX))) {
    const dir = join(tmpdir(), name);
    const record = readRecord(dir);
    // A demo starting right now may not have written its record yet.
    if (!record && Date.now() - statSync(dir).mtimeMs < STARTING_MS) continue;
    if (record && isRunning(record.demo)) {
      notes.push(`another demo is running (pid ${record.demo}); this one takes other ports where needed`);
      continue;
    }
    const killed = (record?.children ?? []).filter((pid) => isRunning(pid) && ours(pid) && kill(pid));
    const unknown = (record?.children ?? []).filter((pid) => isRunning(pid) && !killed.includes(pid));
    if (unknown.length > 0) {
      // Where /proc cannot tell whether they are ours, keep the record for whoever ends them.
      notes.push(`an earlier demo left processes ${unknown.join(', ')} running (see ${dir}); end them if they are its`);
      continue;
    }
    rmSync(dir, { recursive: true, force: true });
    const what = killed.length ? `stopped ${killed.length} leftover process(es) and ` : '';
    notes.push(`an earlier demo did not finish its cleanup: ${what}removed ${dir}`);
  }
  return notes;
}

function readRecord(dir: string): Record | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, PIDS), 'utf8')) as Record;
  } catch {
    return undefined;
  }
}

/** A pid may have been reused since: only what the demo starts is ever killed (Linux tells by /proc). */
function ours(pid: number): boolean {
  try {
    return /redis-server|ferretdb|src\/main\.ts/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

/** Its whole process group (they were started detached), else the process alone. */
function kill(pid: number): boolean {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
      return true;
    } catch {
      // Not a group leader, or gone already.
    }
  }
  return false;
}
