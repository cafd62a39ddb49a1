import type { FaultRule } from '../../src/simulator/sim-faults.js';

/** Drives a running simulator through its `/_sim` control API, as other tools do. */
export function simControl(url: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    addApp: (name: string, repo?: string) => call('POST', '/_sim/apps', { name, repo }),
    deploy: (app: string, ...messages: string[]) =>
      call('POST', `/_sim/apps/${app}/deploys`, {
        commits: messages.map((message, i) => ({ message, author: i % 2 ? 'Kim Developer' : 'Jim Developer' })),
      }) as Promise<{ release: { id: string; version: number }; slug: { id: string; commit: string } }>,
    fault: (rule: FaultRule) => call('POST', '/_sim/faults', rule),
    clearFaults: () => call('DELETE', '/_sim/faults'),
    webhook: (hookUrl: string, secret: string, apps?: string[]) =>
      call('POST', '/_sim/webhooks', { url: hookUrl, secret, apps }),
    state: () => call('GET', '/_sim/state'),
  };
}
