import { describe, expect, it } from 'vitest';
import { drawPipelines } from '../../src/pipelines/draw-pipelines.js';
import type { Link } from '../../src/pipelines/pipeline-graph.js';

const link = (app: string, downstream: string): Link => ({ app, downstream });
const seed = [
  link('myapp-staging', 'myapp'),
  link('myapp-kim-dev', 'myapp-staging'),
  link('myapp-jim-dev', 'myapp-staging'),
];

describe('drawPipelines', () => {
  it("prints a single link in the seed's words", () => {
    expect(drawPipelines([link('myapp-staging', 'myapp')])).toEqual(['Pipeline: myapp-staging ---> myapp']);
  });

  it("draws the seed team's fan-in: both dev apps join into staging, staging feeds production", () => {
    const expected = ['Pipeline: myapp-jim-dev ---+', '          myapp-kim-dev ---+---> myapp-staging ---> myapp'];
    expect(drawPipelines(seed)).toEqual([expected.join('\n')]);
    // Any app of the pipeline shows the whole of it.
    expect(drawPipelines(seed, 'myapp-kim-dev')).toEqual(drawPipelines(seed));
    expect(drawPipelines(seed, 'myapp')).toEqual(drawPipelines(seed));
  });

  it('draws a long chain on one line', () => {
    const links = [link('aaa', 'bbb'), link('bbb', 'ccc'), link('ccc', 'ddd'), link('ddd', 'eee')];
    expect(drawPipelines(links)).toEqual(['Pipeline: aaa ---> bbb ---> ccc ---> ddd ---> eee']);
  });

  it('draws fan-in at two levels with the joins connected', () => {
    const links = [
      link('aaa-dev', 'stage'),
      link('xxx-dev', 'bbb-dev'),
      link('yyy-dev', 'bbb-dev'),
      link('bbb-dev', 'stage'),
      link('stage', 'prod'),
    ];
    expect(drawPipelines(links)[0]?.split('\n')).toEqual([
      'Pipeline: aaa-dev                  ---+',
      '          xxx-dev ---+                |',
      '          yyy-dev ---+---> bbb-dev ---+---> stage ---> prod',
    ]);
  });

  it('draws every pipeline of the workspace, ordered by final app, when no app is named', () => {
    const links = [...seed, link('billing-staging', 'billing')];
    expect(drawPipelines(links)).toEqual([
      'Pipeline: billing-staging ---> billing',
      'Pipeline: myapp-jim-dev ---+\n          myapp-kim-dev ---+---> myapp-staging ---> myapp',
    ]);
    expect(drawPipelines(links, 'billing')).toEqual(['Pipeline: billing-staging ---> billing']);
  });

  it('draws nothing for an app in no pipeline, or an empty workspace', () => {
    expect(drawPipelines(seed, 'billing')).toEqual([]);
    expect(drawPipelines([])).toEqual([]);
  });
});
