import { type Link, rootOf, rootsOf, upstreamsOf } from './pipeline-graph.js';

const PREFIX = 'Pipeline: ';
const INDENT = ' '.repeat(PREFIX.length);

/**
 * Draws pipelines the way the 2014 pipelines plugin printed them (`Pipeline: myapp-staging ---> myapp`),
 * with fan-in drawn as several lines joined into one app:
 *
 *     Pipeline: myapp-jim-dev ---+
 *               myapp-kim-dev ---+---> myapp-staging ---> myapp
 *
 * With `app`, only the pipeline that app belongs to (empty when it is in none); without, every pipeline.
 */
export function drawPipelines(links: readonly Link[], app?: string): string[] {
  if (app !== undefined && !links.some((link) => link.app === app || link.downstream === app)) return [];
  const roots = app === undefined ? rootsOf(links) : [rootOf(links, app)];
  return roots.map((root) =>
    drawTree(links, root, new Set())
      .map((line, i) => (i === 0 ? PREFIX : INDENT) + line)
      .join('\n'),
  );
}

/** The lines that draw `app` and everything upstream of it; `app` itself ends the last line. */
function drawTree(links: readonly Link[], app: string, drawn: Set<string>): string[] {
  drawn.add(app);
  // `drawn` keeps a corrupt (cyclic) graph from recursing forever; the rules never store one.
  const upstreams = upstreamsOf(links, app).filter((upstream) => !drawn.has(upstream));
  const blocks = upstreams.map((upstream) => drawTree(links, upstream, drawn));
  if (blocks.length === 0) return [app];
  if (blocks.length === 1) return appendToLast(blocks[0] ?? [], ` ---> ${app}`);
  return appendToLast(joinBlocks(blocks), `---> ${app}`);
}

/** Stacks upstream drawings and ends each with ` ---+`, with `|` between the joins so the lines read as one. */
function joinBlocks(blocks: string[][]): string[] {
  const width = Math.max(...blocks.flat().map((line) => line.length));
  const joinColumn = width + ' ---'.length;
  return blocks.flatMap((block, b) =>
    block.map((line, i) => {
      if (i === block.length - 1) return `${line.padEnd(width)} ---+`;
      return b === 0 ? line : `${line.padEnd(joinColumn)}|`;
    }),
  );
}

function appendToLast(lines: string[], text: string): string[] {
  return lines.map((line, i) => (i === lines.length - 1 ? line + text : line));
}
