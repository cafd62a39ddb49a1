import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { parseCommand, UsageError } from '../../src/slack/commands/parse-command.js';
import { helpText, VERBS } from '../../src/slack/commands/verbs.js';

describe('parseCommand', () => {
  it.each([
    ['', { verb: 'show' }],
    ['show', { verb: 'show' }],
    ['myapp-staging', { verb: 'show', app: 'myapp-staging' }],
    ['SHOW myapp', { verb: 'show', app: 'myapp' }],
    ['add myapp-staging myapp', { verb: 'add', upstream: 'myapp-staging', downstream: 'myapp' }],
    ['remove myapp-staging', { verb: 'remove', upstream: 'myapp-staging' }],
    ['use myapp-staging', { verb: 'use', app: 'myapp-staging' }],
    ['repo myapp acme/myapp', { verb: 'repo', app: 'myapp', repo: 'acme/myapp' }],
    ['diff', { verb: 'diff' }],
    ['promote myapp-staging', { verb: 'promote', app: 'myapp-staging' }],
    ['releases', { verb: 'releases', count: 10 }],
    ['releases 5', { verb: 'releases', count: 5 }],
    ['releases myapp 3', { verb: 'releases', app: 'myapp', count: 3 }],
    ['rollback', { verb: 'rollback' }],
    ['rollback v9', { verb: 'rollback', version: 9 }],
    ['rollback myapp v9', { verb: 'rollback', app: 'myapp', version: 9 }],
    ['lock myapp "fixing the checkout outage"', { verb: 'lock', app: 'myapp', reason: 'fixing the checkout outage' }],
    ['lock myapp deploy freeze until Monday', { verb: 'lock', app: 'myapp', reason: 'deploy freeze until Monday' }],
    ['lock myapp \u201ccurly quotes\u201d', { verb: 'lock', app: 'myapp', reason: 'curly quotes' }],
    ['unlock myapp', { verb: 'unlock', app: 'myapp' }],
    [
      'policy myapp approvals=2 approvers=<@U0ANA|ana>,<!subteam^S0SRE|@sre>',
      { verb: 'policy', app: 'myapp', settings: ['approvals=2', 'approvers=<@U0ANA|ana>,<!subteam^S0SRE|@sre>'] },
    ],
    ['notify myapp', { verb: 'notify', app: 'myapp' }],
    ['notify myapp <#C0DEPLOY|deploys>', { verb: 'notify', app: 'myapp', channelId: 'C0DEPLOY' }],
    ['mute myapp <#C0DEPLOY>', { verb: 'mute', app: 'myapp', channelId: 'C0DEPLOY' }],
    ['history myapp', { verb: 'history', app: 'myapp', count: 20 }],
    ['history myapp 5', { verb: 'history', app: 'myapp', count: 5 }],
    ['  help  ', { verb: 'help' }],
    ['rollback myapp V2', { verb: 'rollback', app: 'myapp', version: 2 }],
    ['rollback myapp 2', { verb: 'rollback', app: 'myapp', version: 2 }],
    ['rollback 7', { verb: 'rollback', version: 7 }],
  ])('reads %j', (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  it.each([
    ['deploy myapp', /^"deploy" is not a \/pipeline command\. Try \/pipeline help/],
    ['add myapp', /^Something is missing\. Usage: \/pipeline add UPSTREAM DOWNSTREAM$/],
    ['add a b c', /Usage: \/pipeline add UPSTREAM DOWNSTREAM/],
    ['releases myapp lots', /"lots" is not N\. Usage: \/pipeline releases \[APP\] \[N\]/],
    ['releases 500', /N must be between 1 and 50/],
    ['rollback myapp nine', /"nine" is not a version \(v2\)\. Usage: \/pipeline rollback \[APP\] \[vN\]/],
    ['history myapp 1000', /^N must be between 1 and 50\./],
    ['history myapp 0', /^N must be between 1 and 50\./],
    ['lock', /Name the app to lock\. Usage: \/pipeline lock APP/],
    ['notify myapp #deploys', /"#deploys" is not a channel.*Usage: \/pipeline notify APP \[#channel\]/],
    ['history', /Usage: \/pipeline history APP \[N\]/],
    ['lock myapp "unclosed', /A quote is not closed/],
    // Found by the property test below: inherited names are not verbs.
    ['__proto__', /"__proto__" is not a \/pipeline command/],
    ['constructor x', /"constructor" is not a \/pipeline command/],
  ])('refuses %j with the usage', (text, message) => {
    expect(() => parseCommand(text)).toThrow(InvalidInputError);
    expect(() => parseCommand(text)).toThrow(message);
  });

  it('names the verb whose usage it showed', () => {
    try {
      parseCommand('add myapp');
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).verb).toBe('add');
    }
  });

  it('never throws anything but a usage message, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        try {
          parseCommand(text);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
          expect((err as Error).message).toMatch(/Usage: \/pipeline|\/pipeline help|quote is not closed/);
        }
      }),
      { numRuns: 2_000 },
    );
    const words = fc.constantFrom(...VERBS.map((v) => v.name), 'myapp', 'v3', '12', '<#C1|x>', '"a b"', 'x=y', '@ana');
    fc.assert(
      fc.property(fc.array(words, { maxLength: 6 }), (parts) => {
        try {
          parseCommand(parts.join(' '));
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('lists every verb in help, one line each', () => {
    const lines = helpText().split('\n');
    expect(lines).toHaveLength(VERBS.length);
    expect(lines[0]).toBe('`/pipeline help`  this list');
  });
});
