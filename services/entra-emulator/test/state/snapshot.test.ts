import { describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/index.ts';
import {
  agentFor,
  jobId,
  testConfig,
  tokenFor,
  upload,
  userOperation,
} from '../support/emulator-fixture.ts';
import { seedOperations } from '../support/seed-request.ts';

describe('state snapshot', () => {
  it('keeps the directory, the job’s escrow, staged uploads and logs across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-state-'));
    const config = testConfig({
      server: { stateFile: join(dir, 'state.json'), tlsDir: join(dir, 'tls') },
    });

    const first = await startEmulator(config);
    const agent = agentFor(first);
    const token = await tokenFor(first, agent);
    await upload(first, agent, token, seedOperations);
    await first.runCycle();
    first.setJobState(jobId, 'Paused');
    await upload(first, agent, token, [userOperation('77')]);
    const barbaraId = first.user('701984')!.id;
    const caPem = first.caCertPem;
    await agent.close();
    await first.stop();

    const second = await startEmulator(config);
    try {
      expect(second.caCertPem).toBe(caPem);
      expect(second.user('701985')!.manager).toEqual({ id: barbaraId, employeeId: '701984' });
      expect(second.provisioningLogs(jobId)).toHaveLength(3);
      expect((second.job(jobId)!.status as { code: string }).code).toBe('Paused');

      // The token issued before the restart still verifies, and the staged upload survived.
      const secondAgent = agentFor(second);
      expect((await upload(second, secondAgent, token, [userOperation('78')])).status).toBe(202);
      await secondAgent.close();
      second.setJobState(jobId, 'Active');
      await second.waitForIdle();
      expect(second.user('77')).toBeDefined();
      expect(second.user('78')).toBeDefined();
    } finally {
      await second.stop();
    }
  });
});
