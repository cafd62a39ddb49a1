import { describe, expect, it } from 'vitest';
import { checkNewLink, type Link, rootOf, rootsOf, upstreamsOf } from '../../src/pipelines/pipeline-graph.js';

const chain = (...apps: string[]): Link[] => apps.slice(1).map((downstream, i) => ({ app: apps[i] ?? '', downstream }));
const seed: Link[] = [
  { app: 'myapp-jim-dev', downstream: 'myapp-staging' },
  { app: 'myapp-kim-dev', downstream: 'myapp-staging' },
  { app: 'myapp-staging', downstream: 'myapp' },
];

describe('checkNewLink', () => {
  it('allows a first link and any number of upstreams into one app (fan-in)', () => {
    expect(checkNewLink([], 'myapp-staging', 'myapp')).toEqual({ kind: 'ok' });
    expect(checkNewLink(seed, 'myapp-tim-dev', 'myapp-staging')).toEqual({ kind: 'ok' });
  });

  it('reports a link that is already there', () => {
    expect(checkNewLink(seed, 'myapp-staging', 'myapp')).toEqual({ kind: 'exists' });
  });

  it('refuses a second downstream for one app, naming the current one', () => {
    expect(checkNewLink(seed, 'myapp-staging', 'myapp-eu')).toEqual({ kind: 'has-downstream', current: 'myapp' });
  });

  it('refuses a self-link as a cycle', () => {
    expect(checkNewLink([], 'myapp', 'myapp')).toEqual({ kind: 'cycle', cycle: ['myapp', 'myapp'] });
  });

  it('refuses a link back into its own chain, naming the whole cycle in promotion order', () => {
    expect(checkNewLink(seed, 'myapp', 'myapp-jim-dev')).toEqual({
      kind: 'cycle',
      cycle: ['myapp', 'myapp-jim-dev', 'myapp-staging', 'myapp'],
    });
    expect(checkNewLink(chain('aaa', 'bbb'), 'bbb', 'aaa')).toEqual({ kind: 'cycle', cycle: ['bbb', 'aaa', 'bbb'] });
  });

  it('finds cycles along a long chain without stack or time trouble', () => {
    const apps = Array.from({ length: 2000 }, (_, i) => `app-${i}`);
    const links = chain(...apps);
    const result = checkNewLink(links, 'app-1999', 'app-0');
    expect(result.kind).toBe('cycle');
    expect(result.kind === 'cycle' && result.cycle).toHaveLength(2001);
    expect(checkNewLink(links, 'app-1999', 'other')).toEqual({ kind: 'ok' });
  });

  it('allows joining two separate pipelines end to start', () => {
    expect(checkNewLink([...chain('aaa', 'bbb'), ...chain('ccc', 'ddd')], 'bbb', 'ccc')).toEqual({ kind: 'ok' });
  });
});

describe('graph queries', () => {
  it('lists upstreams sorted, finds the root of any app, and the roots of every pipeline', () => {
    expect(upstreamsOf(seed, 'myapp-staging')).toEqual(['myapp-jim-dev', 'myapp-kim-dev']);
    expect(upstreamsOf(seed, 'myapp-jim-dev')).toEqual([]);
    expect(rootOf(seed, 'myapp-kim-dev')).toBe('myapp');
    expect(rootOf(seed, 'myapp')).toBe('myapp');
    expect(rootsOf([...seed, ...chain('zzz-dev', 'zzz')])).toEqual(['myapp', 'zzz']);
  });

  it('terminates on corrupt cyclic data instead of hanging', () => {
    expect(rootOf(chain('aaa', 'bbb', 'aaa'), 'aaa')).toBe('bbb');
  });
});
