/** Where `npm run simulator` (and the embedded simulator, when it can) listens, and the token it wants. */
export const SIMULATOR_PORT = 5000;
export const SIMULATOR_TOKEN = 'simulator-token';
