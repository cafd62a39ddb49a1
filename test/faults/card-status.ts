import type { PromotionState } from '../../src/promotions/promotion.js';

/** What a card says of its request, read from its status line as a person reads it (DESIGN §4's wording). */
export type CardStatus = { states: PromotionState[]; version?: number; line: string };

/** The status line's emoji and the states it stands for ("Promoting…" is both approved and running). */
const STATUS: [string, PromotionState[]][] = [
  [':hourglass_flowing_sand:', ['pending_approval']],
  [':rocket:', ['approved', 'running']],
  [':white_check_mark:', ['succeeded']],
  [':x:', ['failed']],
  [':no_entry:', ['rejected']],
  [':clock3:', ['expired']],
  [':leftwards_arrow_with_hook:', ['cancelled']],
  [':fast_forward:', ['superseded']],
];

export function cardStatus(blocks: { type?: string; text?: { text?: string } }[]): CardStatus | undefined {
  for (const block of [...blocks].reverse()) {
    const line = block.type === 'section' ? (block.text?.text ?? '') : '';
    const found = STATUS.find(([emoji]) => line.startsWith(emoji));
    if (!found) continue;
    const version = /\.\.\.done, v(\d+)/.exec(line)?.[1];
    return { states: found[1], line, ...(version ? { version: Number(version) } : {}) };
  }
  return undefined;
}
