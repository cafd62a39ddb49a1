// Prints the closing line CI reads ("N passed, N failed") from vitest's JSON report and, when given, the fault
// run's (`npm run test:faults -- --json FILE`, where each invariant counts as one test); exits 1 when any test
// failed or none ran. Usage: node .ci/summarize.mjs .ci/results.json [.ci/faults.json]
import { readFileSync } from 'node:fs';

const [vitestFile, faultsFile] = process.argv.slice(2);
let passed = 0;
let failed = 0;

const vitest = readJson(vitestFile, 'test report');
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  // A file that fails before running any test (an import error, a hook that throws) counts as one failure.
  const brokenFiles = (vitest.testResults ?? []).filter((f) => f.status === 'failed' && !f.assertionResults?.length);
  failed += (vitest.numFailedTests ?? 0) + brokenFiles.length;
  const skipped = (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  if (skipped) console.log(`${skipped} skipped`);
} else {
  failed += 1;
}

if (faultsFile) {
  const faults = readJson(faultsFile, 'fault run report');
  const invariants = Array.isArray(faults?.invariants) ? faults.invariants : [];
  if (invariants.length === 0) {
    // The run died before judging anything: that is one failure, not zero tests.
    failed += 1;
  } else {
    const broken = invariants.filter((i) => !i.ok);
    passed += invariants.length - broken.length;
    failed += broken.length;
    console.log(
      `fault run (seed ${faults.seed}, ${faults.wallSeconds} s): ${invariants.length - broken.length} invariants held` +
        (broken.length ? `, broke: ${broken.map((i) => `${i.name} (${i.value})`).join('; ')}` : ''),
    );
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

function readJson(file, what) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    console.log(`no ${what} at ${file}: ${err.message}`);
    return undefined;
  }
}
