import { createServer } from 'node:net';
import { findFreePorts, startKafka } from '@tributary/kafka-broker';
const [b, c] = await findFreePorts(2);
const squatter = createServer();
await new Promise<void>((resolve) => squatter.listen(b, '127.0.0.1', resolve));
const t = Date.now();
const timer = setInterval(() => console.log('waiting', Date.now() - t), 5000);
try {
  await startKafka({
    ports: [{ broker: b!, controller: c! }],
    startTimeoutMs: 15000,
    dataDir: '/tmp/kp/sq',
  });
} catch (e) {
  console.log(String(e).slice(0, 3000));
}
console.log('failed in', Date.now() - t);
clearInterval(timer);
squatter.close();
