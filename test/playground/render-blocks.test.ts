import { describe, expect, it } from 'vitest';
import { type Block, renderBlocks, renderView } from '../../src/playground/page/render-blocks.js';
import { formatDate, renderMrkdwn } from '../../src/playground/page/render-mrkdwn.js';

const ctx = {
  users: new Map([
    ['U0ALICE', 'Alice Archer'],
    ['U0BOT', 'pipeline'],
  ]),
  channels: { C0DEPLOY: 'deploys' },
  groups: { S0SRE: 'sre' },
  now: new Date(2026, 10, 27, 9, 0, 0),
};

/** The text a browser would show for an HTML fragment (enough for these fragments: tags dropped, entities decoded). */
function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function attribute(html: string, name: string): string | undefined {
  const raw = new RegExp(`${name}="([^"]*)"`).exec(html)?.[1];
  return raw === undefined ? undefined : textOf(raw);
}

const mrkdwn = (text: string): Block[] => [{ type: 'section', text: { type: 'mrkdwn', text } }];

describe('renderMrkdwn', () => {
  it("shows a mentioned user's name, not their id", () => {
    const html = renderMrkdwn('requested by <@U0ALICE>', ctx);
    expect(html).toContain('<span class="mention">@Alice Archer</span>');
    expect(renderMrkdwn('<@U0ALICE>', { users: { U0ALICE: 'alice' } })).toContain('@alice');
    expect(renderMrkdwn('<@U0NOBODY>', ctx)).toContain('@U0NOBODY');
  });

  it('names channels, groups and channel-wide mentions', () => {
    expect(textOf(renderMrkdwn('in <#C0DEPLOY> and <#C0OTHER|other>', ctx))).toBe('in #deploys and #other');
    expect(textOf(renderMrkdwn('<!subteam^S0SRE> <!subteam^S9|@ops> <!here> <!channel>', ctx))).toBe(
      '@sre @ops @here @channel',
    );
  });

  it('shows a date token as a readable local date and time, not the raw token', () => {
    const at = new Date(2026, 10, 27, 14, 5, 9);
    const seconds = at.getTime() / 1000;
    const html = renderMrkdwn(`expires <!date^${seconds}^{date_short_pretty} {time}|2026-11-27T14:05:09Z>`, ctx);
    expect(textOf(html)).toBe('expires today 14:05');
    expect(html).not.toContain('{');
    expect(html).not.toContain('!date');
    const later = { ...ctx, now: new Date(2026, 10, 20, 9, 0, 0) };
    expect(textOf(renderMrkdwn(`<!date^${seconds}^{date_num} {date_short} {time_secs}^https://x.test|x>`, later))).toBe(
      '2026-11-27 Nov 27, 2026 14:05:09',
    );
    expect(textOf(renderMrkdwn(`<!date^${seconds}^{date_pretty}|x>`, later))).toBe('November 27th, 2026');
    expect(textOf(renderMrkdwn(`<!date^${seconds}^{date_long}|x>`, later))).toBe('Friday, November 27th, 2026');
    expect(textOf(renderMrkdwn('<!date^bogus^{date}|the fallback>', ctx))).toBe('the fallback');
  });

  it('says how long ago, or how long until', () => {
    const now = new Date(2026, 10, 27, 12, 0, 0);
    expect(formatDate('ago', new Date(now.getTime() - 3 * 60_000), now)).toBe('3 minutes ago');
    expect(formatDate('ago', new Date(now.getTime() + 2 * 3_600_000), now)).toBe('in 2 hours');
    expect(formatDate('ago', new Date(now.getTime() - 10_000), now)).toBe('just now');
    expect(formatDate('date_pretty', new Date(2026, 10, 26, 23, 0), now)).toBe('yesterday');
    expect(formatDate('date_short_pretty', new Date(2026, 10, 28, 1, 0), now)).toBe('tomorrow');
  });

  it('shows HTML from a commit message as text, never as markup', () => {
    const html = renderMrkdwn('Fix &lt;script&gt;alert("x")&lt;/script&gt; &amp; more', ctx);
    expect(html).not.toMatch(/<script/i);
    expect(textOf(html)).toBe('Fix <script>alert("x")</script> & more');
    // Raw angle brackets that are no Slack token are shown too, still escaped.
    expect(renderMrkdwn('<img src=x onerror=alert(1)>', ctx)).not.toContain('<img');
  });

  it('links only http, https and mailto addresses, in a new tab', () => {
    const html = renderMrkdwn('<https://github.com/acme/myapp/commit/eac9d38|`eac9d38`>', ctx);
    expect(html).toBe(
      '<a href="https://github.com/acme/myapp/commit/eac9d38" target="_blank" rel="noopener noreferrer"><code>eac9d38</code></a>',
    );
    const evil = renderMrkdwn('<javascript:alert(1)|click me>', ctx);
    expect(evil).not.toContain('<a');
    expect(evil).not.toContain('href');
    expect(textOf(evil)).toBe('click me');
    expect(renderMrkdwn('<https://x.test/?a=1&amp;b=2>', ctx)).toContain('href="https://x.test/?a=1&amp;b=2"');
  });

  it('formats bold, italic, strike, code, quotes and pre blocks', () => {
    expect(renderMrkdwn('*Promote* _now_ ~later~ `v3`', ctx)).toBe(
      '<b>Promote</b> <i>now</i> <s>later</s> <code>v3</code>',
    );
    expect(renderMrkdwn('my_app_name and 2*3*4', ctx)).toBe('my_app_name and 2*3*4');
    expect(renderMrkdwn('> quoted\nplain', ctx)).toBe('<blockquote>quoted</blockquote>plain');
    expect(renderMrkdwn('before\n```\n*not bold* <@U0ALICE>\n```\nafter', ctx)).toBe(
      'before<pre>*not bold* &lt;@U0ALICE&gt;</pre>after',
    );
  });

  it('turns known emoji shortcodes into emoji and leaves unknown ones alone', () => {
    expect(renderMrkdwn(':rocket: :white_check_mark: :hourglass_flowing_sand: :no_such_emoji:', ctx)).toBe(
      '🚀 ✅ ⏳ :no_such_emoji:',
    );
    expect(renderMrkdwn('`:rocket:`', ctx)).toBe('<code>:rocket:</code>');
  });
});

describe('renderBlocks', () => {
  it('gives a danger button the danger class and carries its confirm JSON', () => {
    const confirm = {
      title: { type: 'plain_text', text: 'Reject "this"?' },
      text: { type: 'mrkdwn', text: "It can't be undone <b>" },
      confirm: { type: 'plain_text', text: 'Reject' },
      deny: { type: 'plain_text', text: 'Keep' },
      style: 'danger',
    };
    const html = renderBlocks([
      {
        type: 'actions',
        block_id: 'promotion_actions',
        elements: [
          {
            type: 'button',
            action_id: 'promotion.reject',
            style: 'danger',
            value: '5f1c2a9e',
            text: { type: 'plain_text', text: 'Reject' },
            confirm,
          },
          {
            type: 'button',
            action_id: 'promotion.cancel',
            value: '5f1c2a9e',
            text: { type: 'plain_text', text: 'Cancel' },
          },
        ],
      },
    ]);
    const [reject, cancel] = html.match(/<button[^>]*>[^<]*<\/button>/g) ?? [];
    expect(reject).toContain('class="btn btn-danger"');
    expect(attribute(reject ?? '', 'data-action-id')).toBe('promotion.reject');
    expect(attribute(reject ?? '', 'data-block-id')).toBe('promotion_actions');
    expect(attribute(reject ?? '', 'data-value')).toBe('5f1c2a9e');
    expect(JSON.parse(attribute(reject ?? '', 'data-confirm') ?? '')).toEqual(confirm);
    expect(cancel).toContain('class="btn btn-default"');
    expect(cancel).not.toContain('data-confirm');
  });

  it('shows an unknown block type as unsupported', () => {
    const html = renderBlocks([{ type: 'rich_text', elements: [] }]);
    expect(html).toBe('<div class="unsupported">Block type rich_text is not rendered by the playground</div>');
  });

  it('renders the promotion card: mention, link, readable date, emoji and buttons', () => {
    const html = renderBlocks(
      [
        ...mrkdwn('*Promote myapp-staging → myapp*'),
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: 'requested by <@U0ALICE> · expires <!date^1795777200^{date_short_pretty} {time}|fallback>',
            },
            { type: 'image', image_url: 'https://x.test/a.png', alt_text: 'avatar' },
          ],
        },
        ...mrkdwn(':hourglass_flowing_sand: Waiting for approval'),
        { type: 'divider' },
        { type: 'header', text: { type: 'plain_text', text: 'Recent :rocket: <b>' } },
      ],
      ctx,
    );
    const text = textOf(html);
    expect(text).toContain('Promote myapp-staging → myapp');
    expect(text).toContain('requested by @Alice Archer');
    expect(text).not.toContain('fallback');
    expect(text).toContain('[avatar]');
    expect(text).toContain('⏳ Waiting for approval');
    expect(html).toContain('<hr class="block divider">');
    expect(html).toContain('Recent 🚀 &lt;b&gt;');
  });

  it('lays out section fields and an accessory button', () => {
    const html = renderBlocks([
      {
        type: 'section',
        block_id: 'b1',
        fields: [
          { type: 'mrkdwn', text: '*App*' },
          { type: 'plain_text', text: 'myapp', emoji: false },
        ],
        accessory: { type: 'button', action_id: 'open', style: 'primary', text: { type: 'plain_text', text: 'Open' } },
      },
    ]);
    expect(html).toContain(
      '<div class="fields"><div class="field"><b>App</b></div><div class="field">myapp</div></div>',
    );
    expect(html).toContain('class="btn btn-primary"');
    expect(html).toContain('data-block-id="b1"');
  });
});

describe('renderView', () => {
  const rejectView = {
    type: 'modal',
    title: { type: 'plain_text' as const, text: 'Reject promotion' },
    submit: { type: 'plain_text' as const, text: 'Reject' },
    close: { type: 'plain_text' as const, text: 'Back' },
    blocks: [
      {
        type: 'input',
        block_id: 'reason',
        optional: true,
        label: { type: 'plain_text', text: 'Why? (shown on the card)' },
        element: { type: 'plain_text_input', action_id: 'reason', max_length: 500 },
      },
    ],
  };

  it('renders the reject modal with its input, and the error for that input when there is one', () => {
    const view = renderView(rejectView, ctx);
    expect(view).toMatchObject({ title: 'Reject promotion', submit: 'Reject', close: 'Back' });
    expect(view.html).toContain('<input type="text"');
    expect(view.html).toContain('data-block-id="reason" data-action-id="reason" maxlength="500"');
    expect(view.html).toContain('(optional)');
    expect(view.html).not.toContain('input-error');
    const withError = renderView(rejectView, { ...ctx, errors: { reason: 'Say <more>' } });
    expect(withError.html).toContain('<div class="input-error" role="alert">Say &lt;more&gt;</div>');
  });

  it('uses a textarea for multiline inputs', () => {
    const block = {
      ...rejectView.blocks[0],
      element: { type: 'plain_text_input', action_id: 'reason', multiline: true },
    };
    expect(renderView({ ...rejectView, blocks: [block] }).html).toContain('<textarea');
  });
});
