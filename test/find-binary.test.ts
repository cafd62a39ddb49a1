import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBinary } from '../src/local-services/find-binary.js';

describe('finding the test servers', () => {
  it('fails with the exact command that installs a missing server', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-binaries-'));
    expect(() => findBinary('ferretdb', [empty])).toThrow(
      /^ferretdb is not installed; the tests and the demo need it\. Install it with: bash scripts\/install-test-services\.sh/,
    );
    expect(() => findBinary('redis-server', [empty])).toThrow(/apt-get install -y redis-server/);
  });

  it('takes the first executable it finds, skipping files that cannot run', () => {
    const [notRunnable, runnable] = [1, 2].map(() => mkdtempSync(join(tmpdir(), 'bin-')));
    writeFileSync(join(notRunnable, 'ferretdb'), '');
    writeFileSync(join(runnable, 'ferretdb'), '#!/bin/sh\n');
    chmodSync(join(runnable, 'ferretdb'), 0o755);
    expect(findBinary('ferretdb', [notRunnable, runnable])).toBe(join(runnable, 'ferretdb'));
  });
});
