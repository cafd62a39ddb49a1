import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { formatDuration, parseDuration } from '../../src/pipelines/duration.js';
import { parsePolicyArgs } from '../../src/pipelines/parse-policy-args.js';

describe('parsePolicyArgs', () => {
  it('reads every setting in its allowed form', () => {
    expect(
      parsePolicyArgs([
        'approvals=2',
        'approvers=<@U0ANA|ana>,<!subteam^S0SRE|@sre>,U0BOB,<@U0ANA>',
        'self-approval=ON',
        'expires=30m',
        'rollback-approvals=1',
      ]),
    ).toEqual({
      approvals: 2,
      approvers: { users: ['U0ANA', 'U0BOB'], groups: ['S0SRE'] },
      selfApproval: true,
      expiresMs: 30 * 60_000,
      rollbackApprovals: 1,
    });
  });

  it('clears the approver list with approvers=anyone, and reads nothing from no arguments', () => {
    expect(parsePolicyArgs(['approvers=anyone'])).toEqual({ approvers: { users: [], groups: [] } });
    expect(parsePolicyArgs([])).toEqual({});
  });

  it.each([
    ['approvals=two', /approvals must be a whole number from 0 to 10 \(e\.g\. approvals=2\)/],
    ['approvals=11', /from 0 to 10/],
    ['approvals=-1', /from 0 to 10/],
    ['rollback-approvals=1.5', /rollback-approvals must be a whole number/],
    ['self-approval=yes', /self-approval must be on or off/],
    ['expires=0m', /expires must be a number with m, h or d, from 1m to 30d/],
    ['expires=31d', /from 1m to 30d/],
    ['expires=24', /e\.g\. 30m, 24h, 7d/],
    ['approvers=@ana', /"@ana" is not a Slack user or user group/],
    ['approvers=', /is not a Slack user or user group.*approvers=anyone/],
    [
      'approval=2',
      /"approval=2" is not a policy setting: the settings are approvals, approvers, self-approval, expires, rollback-approvals\.$/,
    ],
    ['approvals', /is not a policy setting/],
  ])('refuses %j with the allowed form', (arg, message) => {
    expect(() => parsePolicyArgs([arg])).toThrow(InvalidInputError);
    expect(() => parsePolicyArgs([arg])).toThrow(message);
  });

  it('refuses a setting given twice', () => {
    expect(() => parsePolicyArgs(['approvals=1', 'approvals=2'])).toThrow(/approvals is given twice/);
  });
});

describe('durations', () => {
  it('parses and formats m, h and d', () => {
    expect(parseDuration('7d', 'expires')).toBe(7 * 86_400_000);
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(36 * 3_600_000)).toBe('36h');
    expect(formatDuration(90 * 60_000)).toBe('90m');
  });
});
