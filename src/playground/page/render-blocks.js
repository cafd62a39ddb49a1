// Block Kit → HTML for the playground page. Pure (no DOM): the page sets the result as innerHTML, so every
// server-provided string goes through escapeHtml or renderMrkdwn (which escapes too).
import { emojify, escapeHtml, renderMrkdwn } from './render-mrkdwn.js';

const BLOCKS = { section, context, divider, header, actions, input, image };

export function renderBlocks(blocks, ctx = {}) {
  return (Array.isArray(blocks) ? blocks : []).map((block) => renderBlock(block, ctx)).join('');
}

function renderBlock(block, ctx) {
  const render = Object.hasOwn(BLOCKS, block?.type) ? BLOCKS[block.type] : null;
  return render ? render(block, ctx) : unsupported(`Block type ${block?.type ?? '(none)'}`);
}

/** A modal or App Home view: texts for the frame, blocks for the body. */
export function renderView(view, ctx = {}) {
  return {
    title: plainText(view?.title),
    submit: view?.submit ? plainText(view.submit) : '',
    close: view?.close ? plainText(view.close) : 'Cancel',
    html: renderBlocks(view?.blocks, ctx),
  };
}

/** A text object: mrkdwn formatted, plain_text escaped (emoji unless `emoji: false`). */
export function renderText(text, ctx = {}) {
  if (!text) return '';
  return text.type === 'mrkdwn' ? renderMrkdwn(text.text, ctx) : plainText(text);
}

function plainText(text) {
  if (!text) return '';
  const html = escapeHtml(text.text);
  return text.emoji === false ? html : emojify(html);
}

function unsupported(what) {
  return `<div class="unsupported">${escapeHtml(what)} is not rendered by the playground</div>`;
}

function section(block, ctx) {
  const text = block.text ? `<div class="section-text">${renderText(block.text, ctx)}</div>` : '';
  const fields = Array.isArray(block.fields)
    ? `<div class="fields">${block.fields.map((f) => `<div class="field">${renderText(f, ctx)}</div>`).join('')}</div>`
    : '';
  const accessory = block.accessory ? `<div class="accessory">${element(block.accessory, block, ctx)}</div>` : '';
  return `<div class="block section"><div class="section-body">${text}${fields}</div>${accessory}</div>`;
}

function context(block, ctx) {
  const parts = (block.elements ?? []).map((e) =>
    e.type === 'image'
      ? `<span class="image-alt">[${escapeHtml(e.alt_text)}]</span>`
      : `<span>${renderText(e, ctx)}</span>`,
  );
  return `<div class="block context">${parts.join(' ')}</div>`;
}

function divider() {
  return '<hr class="block divider">';
}

function header(block) {
  return `<div class="block header">${plainText(block.text)}</div>`;
}

function actions(block, ctx) {
  return `<div class="block actions">${(block.elements ?? []).map((e) => element(e, block, ctx)).join('')}</div>`;
}

function image(block) {
  return `<div class="block image"><span class="image-alt">[image: ${escapeHtml(block.alt_text)}]</span></div>`;
}

function element(el, block, ctx) {
  return el?.type === 'button' ? button(el, block, ctx) : unsupported(`Element type ${el?.type ?? '(none)'}`);
}

function button(el, block) {
  const style = el.style === 'primary' || el.style === 'danger' ? el.style : 'default';
  const attrs = [
    `class="btn btn-${style}"`,
    `type="button"`,
    `data-action-id="${escapeHtml(el.action_id ?? '')}"`,
    `data-block-id="${escapeHtml(block.block_id ?? '')}"`,
    `data-value="${escapeHtml(el.value ?? '')}"`,
  ];
  if (el.confirm) attrs.push(`data-confirm="${escapeHtml(JSON.stringify(el.confirm))}"`);
  return `<button ${attrs.join(' ')}>${plainText(el.text)}</button>`;
}

function input(block, ctx) {
  const el = block.element ?? {};
  if (el.type !== 'plain_text_input') return unsupported(`Input element ${el.type ?? '(none)'}`);
  const blockId = escapeHtml(block.block_id ?? '');
  const actionId = escapeHtml(el.action_id ?? '');
  const id = `input-${blockId}-${actionId}`;
  const attrs = [`id="${id}"`, `data-block-id="${blockId}"`, `data-action-id="${actionId}"`];
  if (el.max_length) attrs.push(`maxlength="${Number(el.max_length)}"`);
  if (el.placeholder) attrs.push(`placeholder="${escapeHtml(el.placeholder.text)}"`);
  const initial = escapeHtml(el.initial_value ?? '');
  const field = el.multiline
    ? `<textarea ${attrs.join(' ')} rows="4">${initial}</textarea>`
    : `<input type="text" ${attrs.join(' ')} value="${initial}">`;
  const optional = block.optional ? ' <span class="optional">(optional)</span>' : '';
  const hint = block.hint ? `<div class="hint">${plainText(block.hint)}</div>` : '';
  const error = ctx.errors && Object.hasOwn(ctx.errors, block.block_id) ? ctx.errors[block.block_id] : '';
  const errorHtml = error ? `<div class="input-error" role="alert">${escapeHtml(error)}</div>` : '';
  return `<div class="block input"><label for="${id}">${plainText(block.label)}${optional}</label>${field}${hint}${errorHtml}</div>`;
}
