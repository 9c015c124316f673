import { afterEach, describe, expect, it } from '@jest/globals';
import type { Agent } from 'undici';
import { startEmulator, type EmulatorConfigInput, type EntraEmulator } from '../../src/index.ts';
import { seededRandom } from '../../src/throttling/fault-injector.ts';
import {
  agentFor,
  testConfig,
  tokenFor,
  upload,
  userOperation,
} from '../support/emulator-fixture.ts';

const started: { emulator: EntraEmulator; agent: Agent }[] = [];

async function start(overrides: Partial<EmulatorConfigInput>) {
  const emulator = await startEmulator(testConfig(overrides));
  const agent = agentFor(emulator);
  started.push({ emulator, agent });
  const token = await tokenFor(emulator, agent);
  return { emulator, agent, send: () => upload(emulator, agent, token, [userOperation('1')]) };
}

afterEach(async () => {
  for (const { emulator, agent } of started.splice(0)) {
    await agent.close();
    await emulator.stop();
  }
});

describe('fault injection', () => {
  it('answers 503 in the Graph error shape, with Retry-After when set', async () => {
    const { send } = await start({
      faults: { serverErrorRate: 1, serverErrorRetryAfterSeconds: 7 },
    });
    const result = await send();
    expect(result.status).toBe(503);
    expect(result.headers['retry-after']).toBe('7');
    expect(result.json().error).toMatchObject({
      code: 'serviceNotAvailable',
      innerError: expect.any(Object),
    });
  });

  it('answers 503 without Retry-After when none is set', async () => {
    const { send } = await start({ faults: { serverErrorRate: 1 } });
    const result = await send();
    expect(result.status).toBe(503);
    expect(result.headers['retry-after']).toBeUndefined();
  });

  it('injects the same faults in the same order for the same seed', async () => {
    const sequence = async () => {
      const { send } = await start({ faults: { serverErrorRate: 0.5, seed: 42 } });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) statuses.push((await send()).status);
      return statuses;
    };
    const first = await sequence();
    expect(await sequence()).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(202);
  });

  it('adds latency', async () => {
    const { emulator, send } = await start({ faults: { latencyMs: 120 } });
    const before = performance.now();
    expect((await send()).status).toBe(202);
    expect(performance.now() - before).toBeGreaterThanOrEqual(115);
    expect(emulator.counters().faults.delayed).toBe(1);
  });

  it('drops connections without an answer', async () => {
    const { emulator, send } = await start({ faults: { dropConnectionRate: 1 } });
    await expect(send()).rejects.toThrow();
    expect(emulator.counters().faults.dropped).toBe(1);
    expect(emulator.bulkRequests()).toEqual([]);
  });

  it('applies only to the routes it is configured for', async () => {
    const { send } = await start({ faults: { serverErrorRate: 1, routes: ['provisioningLogs'] } });
    expect((await send()).status).toBe(202);
  });
});

describe('seededRandom', () => {
  it('is deterministic per seed and stays within [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(seededRandom(8)()).not.toBe(values[0]);
  });
});
