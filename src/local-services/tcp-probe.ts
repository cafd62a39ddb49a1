import { connect } from 'node:net';

/**
 * Connects to a loopback port, optionally writes `send`, and resolves true once anything (or `expect`) is read back,
 * false on refusal or silence.
 */
export async function tcpProbe(port: number, send?: string, expect?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      if (send === undefined) done(true);
      else socket.write(send);
    });
    socket.on('data', (data) => done(expect === undefined || data.toString().includes(expect)));
  });
}
