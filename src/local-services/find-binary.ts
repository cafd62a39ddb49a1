import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { binarySearchDirs } from '../config.js';

const INSTALL = 'bash scripts/install-test-services.sh';

/** Where each throwaway server comes from, and the exact command that installs it. */
const BINARIES = {
  'redis-server': { install: `${INSTALL}   (or: apt-get install -y redis-server)` },
  ferretdb: { install: `${INSTALL}   (builds FerretDB v1.24.2 with Go into $(go env GOPATH)/bin)` },
  chromium: { install: `${INSTALL}   (or: apt-get install -y chromium)` },
} as const;

export type TestBinary = keyof typeof BINARIES;

/** Looks on PATH, then in Go's bin folder (where Go builds put FerretDB); fails with the install command. */
export function findBinary(name: TestBinary, dirs: string[] = searchDirs()): string {
  for (const dir of dirs) {
    const path = join(dir, name);
    if (isExecutable(path)) return path;
  }
  throw new Error(
    `${name} is not installed; the tests and the demo need it. Install it with: ${BINARIES[name].install}`,
  );
}

function searchDirs(): string[] {
  const dirs = binarySearchDirs();
  try {
    const gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim();
    dirs.push(...gopath.split(delimiter).map((p) => join(p, 'bin')));
  } catch {
    // No Go toolchain: only PATH and ~/go/bin can hold the binary.
  }
  return dirs.filter((d): d is string => Boolean(d));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
