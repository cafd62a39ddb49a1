// `npm run demo`: installs what is missing, then runs src/demo/main.ts in this same process (through tsx).
import { ensureInstalled } from './ensure-installed.mjs';

// With both REDIS_URL and MONGO_URL given, the demo starts no servers of its own.
ensureInstalled({ servers: !(process.env.REDIS_URL && process.env.MONGO_URL), label: 'demo' });
const { register } = await import('tsx/esm/api');
register();
await import('../src/demo/main.ts');
