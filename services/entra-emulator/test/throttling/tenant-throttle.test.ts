import { afterEach, describe, expect, it } from '@jest/globals';
import type { Agent } from 'undici';
import { startEmulator, type EmulatorConfigInput, type EntraEmulator } from '../../src/index.ts';
import {
  agentFor,
  testConfig,
  tokenFor,
  upload,
  userOperation,
} from '../support/emulator-fixture.ts';

let emulator: EntraEmulator;
let agent: Agent;
let token: string;

async function start(overrides: Partial<EmulatorConfigInput>) {
  emulator = await startEmulator(testConfig(overrides));
  agent = agentFor(emulator);
  token = await tokenFor(emulator, agent);
}

const send = () => upload(emulator, agent, token, [userOperation('1')]);

afterEach(async () => {
  await agent.close();
  await emulator.stop();
});

describe('bulkUpload throttling', () => {
  it('answers 429 with Retry-After past N calls in the window', async () => {
    await start({
      throttling: { enabled: true, maxCallsPerWindow: 3, windowSeconds: 60, retryAfter: true },
    });
    for (let i = 0; i < 3; i += 1) expect((await send()).status).toBe(202);
    const throttled = await send();
    expect(throttled.status).toBe(429);
    expect(throttled.json().error.code).toBe('TooManyRequests');
    const retryAfter = Number(throttled.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(emulator.counters().throttled.window).toBe(1);
  });

  it('answers 429 without Retry-After when configured so', async () => {
    await start({
      throttling: { enabled: true, maxCallsPerWindow: 1, windowSeconds: 60, retryAfter: false },
    });
    expect((await send()).status).toBe(202);
    const throttled = await send();
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBeUndefined();
  });

  it('lets calls through again once the oldest leave the sliding window', async () => {
    await start({ throttling: { enabled: true, maxCallsPerWindow: 2, windowSeconds: 0.3 } });
    expect((await send()).status).toBe(202);
    expect((await send()).status).toBe(202);
    expect((await send()).status).toBe(429);
    let status = 429;
    while (status === 429) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      status = (await send()).status;
    }
    expect(status).toBe(202);
  });

  it('enforces the daily tenant quota, with a per-tenant override', async () => {
    const config = testConfig({
      throttling: { enabled: true, maxCallsPerWindow: 1000, dailyQuota: 100 },
    });
    config.tenants[0]!.dailyQuota = 4;
    emulator = await startEmulator(config);
    agent = agentFor(emulator);
    token = await tokenFor(emulator, agent);
    for (let i = 0; i < 4; i += 1) expect((await send()).status).toBe(202);
    const throttled = await send();
    expect(throttled.status).toBe(429);
    expect(throttled.json().error.message).toMatch(/quota/);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(86_000);
    expect(emulator.counters().throttled.dailyQuota).toBe(1);
    expect(Object.values(emulator.counters().dailyCallsByTenant)).toEqual([4]);
  });

  it('can be switched off, also on a running emulator', async () => {
    await start({ throttling: { enabled: true, maxCallsPerWindow: 1, windowSeconds: 60 } });
    expect((await send()).status).toBe(202);
    expect((await send()).status).toBe(429);
    emulator.configure({ throttling: { enabled: false } });
    for (let i = 0; i < 5; i += 1) expect((await send()).status).toBe(202);
  });
});
