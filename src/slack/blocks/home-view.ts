import type { KnownBlock } from '@slack/types';
import type { Promotion } from '../../promotions/promotion.js';
import { fitLines } from './fit-lines.js';

/** `channels`: where each listed request's card is. */
export type HomeData = {
  pipelines: string[];
  /** One line a locked app: by whom, since when, why. */
  locks: string[];
  waiting: Promotion[];
  recent: Promotion[];
  channels: Map<string, string>;
};

const RECENT = 10;

/** The App Home tab: the workspace's pipelines, approvals waiting for the viewer, recent promotions. */
export function homeView(data: HomeData): { type: 'home'; blocks: KnownBlock[] } {
  const section = (text: string): KnownBlock => ({
    type: 'section',
    text: { type: 'mrkdwn', text: fitSection(text) },
  });
  const header = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text } });
  const blocks: KnownBlock[] = [header('Pipelines')];
  blocks.push(
    section(
      data.pipelines.length
        ? `\`\`\`\n${data.pipelines.join('\n\n')}\n\`\`\``
        : 'No pipelines yet: `/pipeline add UPSTREAM DOWNSTREAM` starts one.',
    ),
  );
  if (data.locks.length) blocks.push(section(data.locks.join('\n')));
  blocks.push({ type: 'divider' }, header('Waiting for your approval'));
  blocks.push(
    section(
      data.waiting.length ? data.waiting.map((p) => line(p, data.channels)).join('\n') : 'Nothing waits for you.',
    ),
  );
  blocks.push({ type: 'divider' }, header('Recent promotions'));
  blocks.push(
    section(
      data.recent.length
        ? data.recent
            .slice(0, RECENT)
            .map((p) => line(p, data.channels))
            .join('\n')
        : 'No promotions yet.',
    ),
  );
  return { type: 'home', blocks };
}

function line(p: Promotion, channels: Map<string, string>): string {
  const what =
    p.kind === 'rollback'
      ? `Roll back ${p.downstream} to v${p.source.version}`
      : `${p.upstream} v${p.source.version} → ${p.downstream}`;
  const channel = channels.get(p.id);
  const where = channel ? ` · <#${channel}>` : '';
  const result = p.state === 'succeeded' ? `done, v${p.result?.version}` : p.state.replace('_', ' ');
  return `• ${what} — ${result} · asked by <@${p.requestedBy}>${where}`;
}

/** Whole lines up to Block Kit's section limit, then how many were left out. */
function fitSection(text: string, max = 2_900): string {
  if (text.length <= max) return text;
  const lines = text.split('\n');
  // Room for the closing fence and the "and N more lines" line.
  const kept = fitLines(lines, max - 40);
  const fence = kept.filter((l) => l.startsWith('```')).length % 2 === 1 ? '\n```' : '';
  return `${kept.join('\n')}${fence}\nand ${lines.length - kept.length} more lines`;
}
