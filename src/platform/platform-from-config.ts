import type { Config } from '../config.js';
import { createGithubCodeHost } from './github-code-host.js';
import { createHerokuPlatform } from './heroku-platform.js';
import type { CodeHost, Platform } from './platform.js';

/**
 * The platform ports as configured: Heroku's API (or, with PLATFORM=simulator, the embedded simulator that main
 * started at `simulatorUrl`) and GitHub's.
 */
export function platformFromConfig(
  config: Config,
  simulator?: { url: string; token: string },
): { platform: Platform; codeHost: CodeHost } {
  if (config.platform.kind === 'simulator' && !simulator) {
    throw new Error('PLATFORM=simulator needs the embedded simulator to be started first');
  }
  const heroku = simulator
    ? { baseUrl: simulator.url, token: simulator.token }
    : { baseUrl: config.platform.herokuApiUrl, token: config.platform.herokuApiKey ?? '' };
  const github = simulator
    ? { apiUrl: `${simulator.url}/github`, token: simulator.token }
    : { apiUrl: config.github.apiUrl, token: config.github.token };
  return { platform: createHerokuPlatform(heroku), codeHost: createGithubCodeHost(github) };
}
