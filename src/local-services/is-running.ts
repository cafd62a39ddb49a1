import { readFileSync } from 'node:fs';

/**
 * Whether a process still runs. A killed process whose parent has not reaped it yet is a zombie: signal 0 still
 * reaches it, but it does nothing and holds no port, so on Linux (/proc) it counts as gone.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
