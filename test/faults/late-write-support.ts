import { waitFor } from '../../src/local-services/wait-for.js';
import { type FaultRule, parseFaultRule } from '../../src/simulator/sim-faults.js';
import type { Simulator } from '../../src/simulator/start-simulator.js';
import type { simControl } from '../support/sim-control.js';

const PROBE_APP = 'late-write-probe';

/**
 * Does this simulator make a write late when told (`applyLateMs`)? Its rule parser passes unknown fields through,
 * so being accepted proves nothing: the parser must refuse a bad value, and a probe write must land after the
 * caller has given up, not before.
 */
export async function lateWritesSupported(
  simulator: Simulator,
  sim: ReturnType<typeof simControl>,
  apiKey: string,
): Promise<{ supported: boolean; why: string }> {
  try {
    parseFaultRule({ path: '/apps', applyLateMs: 'soon' });
    return { supported: false, why: 'parseFaultRule accepts applyLateMs: "soon", so it does not know the field' };
  } catch {
    // It checks the field: now see that it does what it says.
  }
  await sim.addApp(PROBE_APP);
  const { slug } = await sim.deploy(PROBE_APP, 'probe build');
  await sim.fault({ method: 'POST', path: `/apps/${PROBE_APP}/releases`, applyLateMs: 600, times: 1 } as FaultRule);
  const before = simulator.state.releasesOf(PROBE_APP).length;
  await fetch(`${simulator.url}/apps/${PROBE_APP}/releases`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${apiKey}`,
      accept: 'application/vnd.heroku+json; version=3',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ slug: slug.id, description: 'late write probe' }),
    signal: AbortSignal.timeout(200),
  }).catch(() => undefined);
  const early = simulator.state.releasesOf(PROBE_APP).length > before;
  const landed = await waitFor(
    'the late probe write',
    () => (simulator.state.releasesOf(PROBE_APP).length > before ? true : undefined),
    5_000,
  ).catch(() => false);
  await sim.clearFaults();
  if (early) return { supported: false, why: 'the probe write landed before the caller gave up (not late)' };
  if (!landed) return { supported: false, why: 'the probe write never landed' };
  return { supported: true, why: 'a probe write landed 600 ms late, after its caller had given up' };
}
