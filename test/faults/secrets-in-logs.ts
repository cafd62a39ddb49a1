import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Invariant } from './invariant.js';
import type { Secrets } from './start-fault-world.js';

/** No configured secret appears in any line any bot process wrote. Evidence names the secret, never shows it. */
export async function secretsInLogs(files: string[], secrets: Secrets): Promise<Invariant> {
  const evidence: string[] = [];
  let lines = 0;
  let count = 0;
  for (const file of files) {
    const reader = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    let number = 0;
    for await (const line of reader) {
      number++;
      lines++;
      const found = Object.entries(secrets).filter(([, value]) => line.includes(value));
      if (found.length === 0) continue;
      count++;
      if (evidence.length < 20)
        evidence.push(`${basename(file)}:${number} holds ${found.map(([name]) => name).join(', ')}`);
    }
  }
  const ok = count === 0 && lines > 0;
  return {
    name: 'secrets in logs',
    value: String(count),
    ok,
    evidence: lines > 0 ? evidence : ['no log lines at all'],
  };
}
