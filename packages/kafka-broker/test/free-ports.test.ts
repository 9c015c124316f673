import { createServer } from 'node:net';

import { describe, expect, test } from '@jest/globals';
import { findFreePorts } from '@tributary/kafka-broker';

describe('findFreePorts', () => {
  test('returns distinct ports that can be bound on loopback', async () => {
    const ports = await findFreePorts(6);

    expect(new Set(ports).size).toBe(6);
    for (const port of ports) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
