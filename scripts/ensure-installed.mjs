// What `npm run demo` and `npm test` install before they run, on a fresh clone. Plain Node with no dependencies,
// since node_modules may not exist yet (so it reads PATH itself: src/config.ts cannot load before npm ci).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `servers`: redis-server and FerretDB; `browser`: Chromium, for the playground's browser test. */
export function ensureInstalled({ servers = true, browser = false, label }) {
  if (dependenciesMissing()) {
    step(label, 'installing the npm dependencies (npm ci, once per clone)', 'npm', [
      'ci',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ]);
  }
  const missing = [...(servers ? ['redis-server', 'ferretdb'] : []), ...(browser ? ['chromium'] : [])].filter(
    (name) => !onPath(name),
  );
  if (missing.length > 0) {
    const args = ['scripts/install-test-services.sh', ...(browser ? [] : ['--without-browser'])];
    step(label, `installing ${missing.join(', ')} (scripts/install-test-services.sh)`, 'bash', args);
  }
}

function dependenciesMissing() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return true;
  // A pull that changed the lock file needs a new install too.
  return statSync(join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs + 1000;
}

function step(label, what, command, args) {
  const started = Date.now();
  process.stdout.write(`${label}: ${what}...\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`${label}: ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).\n`);
    process.exit(1);
  }
  process.stdout.write(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function onPath(name) {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter),
    process.env.GOBIN,
    goBin(),
    process.env.HOME && join(process.env.HOME, 'go', 'bin'),
  ];
  return dirs.filter(Boolean).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function goBin() {
  const result = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' });
  return result.status === 0 ? join(result.stdout.trim().split(delimiter)[0], 'bin') : undefined;
}
