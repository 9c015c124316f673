import { createServer, type Server } from 'node:net';

/**
 * Ports that are free on `host` right now. Kafka cannot listen on port 0 because it advertises
 * the port to clients, so the OS picks them here: every socket stays open until all are bound,
 * which keeps the ports distinct. Another process could take one before the broker binds it;
 * on loopback during a test run that has not been seen to matter.
 */
export async function findFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: Server[] = [];

  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, resolve);
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(
      servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  }
}
