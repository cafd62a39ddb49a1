import type { RenderContext } from './render-mrkdwn.js';

export type { RenderContext };

// Blocks come from the bot as JSON; the renderer copes with any shape, so they are loosely typed here.
export type Block = { type: string; [key: string]: unknown };
export type TextObject = { type: 'mrkdwn' | 'plain_text'; text: string; emoji?: boolean };
export type View = { type: string; title?: TextObject; submit?: TextObject; close?: TextObject; blocks?: Block[] };

export function renderBlocks(blocks: readonly Block[] | undefined, ctx?: RenderContext): string;
export function renderText(text: TextObject | undefined, ctx?: RenderContext): string;
/** `submit` is '' when the view has none; `close` defaults to "Cancel". */
export function renderView(
  view: View,
  ctx?: RenderContext,
): { title: string; submit: string; close: string; html: string };
