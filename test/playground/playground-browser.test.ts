import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, runDemo } from '../../src/demo/run-demo.js';
import { findBinary } from '../../src/local-services/find-binary.js';
import { testEnv } from '../support/test-env.js';

const SCREENSHOT = fileURLToPath(new URL('../../docs/playground.png', import.meta.url));
/** As this machine's probe starts Chromium as root: without the network flags it keeps dialling out. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Card changes travel bot → worker → Slack API → page; generous for a loaded 2-core machine. */
const SEEN = { timeout: 20_000 };

const env = testEnv('playground');
let demo: Demo;
let browser: Browser;
let page: Page;
const said: string[] = [];

beforeAll(async () => {
  // The demo's defaults, on this run's test servers (the demo empties its own database and queue keys there).
  demo = await runDemo({
    config: { redisUrl: env.redisUrl, mongoUrl: env.mongoUrl, github: {}, logLevel: 'warn' },
    ports: { bot: 0, playground: 0, simulator: 0 },
    say: (line) => said.push(line),
    names: { database: env.dbName, queuePrefix: env.queuePrefix },
    signal: new AbortController().signal,
  });
  browser = await chromium.launch({ executablePath: findBinary('chromium'), args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(demo.url);
  await page.getByTestId('composer').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

const as = (userId: string) => page.getByTestId('user-select').selectOption(userId);
const channel = (name: string) => page.getByTestId(`channel-${name}`).click();
const messages = () => page.locator('#messages .message');
async function type(text: string): Promise<void> {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}
/** The newest promotion card in the channel: a bot message with the card's title. */
const newestCard = (): Locator => messages().filter({ hasText: 'Promote myapp-staging → myapp' }).last();
async function click(card: Locator, button: string, confirm: boolean): Promise<void> {
  await card.getByRole('button', { name: button }).click();
  if (!confirm) return;
  await page.getByTestId('confirm-dialog').waitFor();
  await page.getByTestId('confirm-ok').click();
}

describe('the playground, driven as a person would', () => {
  it('runs the seed workflow: show, diff, a refused self-approval, an approval, the announcement, a rejection', async () => {
    await as('U0ALICE');
    await channel('deploys');
    await type('/pipeline show');
    await expect
      .poll(() => messages().filter({ hasText: 'myapp-kim-dev ---+---> myapp-staging ---> myapp' }).count(), SEEN)
      .toBe(1);

    await type('/pipeline diff myapp-staging');
    const card = newestCard();
    await card.getByText('ahead by 2 commits').waitFor(SEEN);
    expect(await card.textContent()).toContain('Add the audit log');
    expect(await card.textContent()).toContain('A super important fix');
    expect(await card.textContent()).toContain('0 of 1 approval');

    await click(card, 'Approve', true);
    await page.locator('.message.ephemeral').filter({ hasText: 'someone else must approve it' }).waitFor(SEEN);

    await as('U0BOB');
    await click(card, 'Approve', true);
    await card.getByText(/Promoting myapp-staging to myapp\.\.\.done, v3/).waitFor(SEEN);
    expect(await card.getByRole('button').count()).toBe(0);

    await channel('releases');
    const announced = messages().filter({ hasText: 'myapp v3 · promoted from myapp-staging v3' });
    await announced.first().waitFor(SEEN);

    // A second request, for a new commit pushed to staging on the platform panel; Carol turns it down.
    await channel('deploys');
    await page.getByTestId('push-app').selectOption('myapp-staging');
    await page.getByTestId('push-message').fill('Tune the checkout page');
    await page.getByTestId('push-button').click();
    await page.locator('[data-app="myapp-staging"] .version').getByText('v4').waitFor(SEEN);
    await as('U0ALICE');
    await type('/pipeline diff myapp-staging');
    const second = newestCard();
    await second.getByText('Tune the checkout page').waitFor(SEEN);
    await as('U0CAROL');
    await click(second, 'Reject', false);
    await page.getByTestId('modal').locator('[data-block-id="reason"]').fill('Not during the sale');
    await page.getByTestId('modal-submit').click();
    await second.getByText(/Rejected by @Carol Chen: "Not during the sale"/).waitFor(SEEN);
    await page.getByTestId('modal').waitFor({ state: 'hidden' });

    // Everything above came after the promotion's release: by now a second announcement would have arrived too.
    await channel('releases');
    expect(await announced.count()).toBe(1);
    expect(await page.getByTestId('errors').isHidden()).toBe(true);

    await channel('deploys');
    mkdirSync(fileURLToPath(new URL('../../docs/', import.meta.url)), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  }, 120_000);
});
