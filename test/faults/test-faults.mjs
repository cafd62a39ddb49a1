// `npm run test:faults`: installs what is missing (dependencies, redis-server, FerretDB), then runs the fault run
// (run-faults.ts) in this same process through tsx. Arguments pass through: `npm run test:faults -- --size full`.
import { ensureInstalled } from '../../scripts/ensure-installed.mjs';

ensureInstalled({ label: 'test:faults' });
const { register } = await import('tsx/esm/api');
register();
await import('./run-faults.ts');
