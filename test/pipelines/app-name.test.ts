import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { APP_NAME_RULE, parseAppName } from '../../src/pipelines/app-name.js';

describe('parseAppName', () => {
  it.each(['myapp', 'myapp-staging', 'a1b', 'x'.repeat(30), '  myapp  '])('accepts %j', (name) => {
    expect(parseAppName(name)).toBe(name.trim());
  });

  it.each([
    ['MyApp', 'myapp'],
    ["'myapp-staging'", 'myapp-staging'],
    ['\u201cmyapp\u201d', 'myapp'],
    ['\u2018myapp-staging\u2019', 'myapp-staging'],
  ])('reads %j as %j (quotes stripped, lowercased as Heroku names are)', (typed, name) => {
    expect(parseAppName(typed)).toBe(name);
  });

  it('never echoes control characters', () => {
    expect(() => parseAppName('my\u0007app\u001b[31m')).toThrow(/^"myapp\[31m" is not/);
    expect(() => parseAppName('my\u0007app\u001b[31m')).not.toThrow(/\p{Cc}/u);
  });

  it.each(['ab', 'x'.repeat(31), 'my_app', '1app', '-app', 'app-', 'my app', 'myapp;rm', ''])(
    'refuses %j and says the rule',
    (name) => {
      expect(() => parseAppName(name)).toThrow(InvalidInputError);
      expect(() => parseAppName(name)).toThrow(APP_NAME_RULE);
    },
  );

  it('echoes at most 40 characters of noise', () => {
    const noise = 'N'.repeat(400);
    expect(() => parseAppName(noise)).toThrow(/^"N{40}…" is not a valid app name/);
  });
});
