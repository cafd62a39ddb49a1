import type { Config } from '../config.js';
import { SIMULATOR_TOKEN } from '../simulator/simulator-defaults.js';
import { createGithubCodeHost } from './github-code-host.js';
import { createHerokuPlatform } from './heroku-platform.js';
import type { CodeHost, Platform } from './platform.js';

/**
 * The platform ports as configured: Heroku's API, a standalone simulator (PLATFORM=simulator with HEROKU_API_URL),
 * or the simulator main embedded in this process at `embedded.url`; and GitHub's compare API (or the simulator's).
 */
export function platformFromConfig(
  config: Config,
  embedded?: { url: string; token: string },
): { platform: Platform; codeHost: CodeHost } {
  const { platform } = config;
  if (platform.kind === 'simulator' && !platform.simulatorUrl && !embedded) {
    throw new Error('PLATFORM=simulator without HEROKU_API_URL needs the embedded simulator to be started first');
  }
  if (embedded && !platform.simulatorUrl) {
    return {
      platform: createHerokuPlatform({ baseUrl: embedded.url, token: embedded.token }),
      codeHost: createGithubCodeHost({ apiUrl: `${embedded.url}/github`, token: embedded.token }),
    };
  }
  const simulated = platform.kind === 'simulator';
  const token = platform.herokuApiKey ?? (simulated ? SIMULATOR_TOKEN : '');
  return {
    platform: createHerokuPlatform({ baseUrl: platform.simulatorUrl ?? platform.herokuApiUrl, token }),
    codeHost: createGithubCodeHost({
      apiUrl: config.github.apiUrl,
      token: config.github.token ?? (simulated ? token : undefined),
    }),
  };
}
