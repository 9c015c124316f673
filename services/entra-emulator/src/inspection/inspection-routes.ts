import express, { Router } from 'express';
import type { EntraEmulator } from '../emulator.ts';

const states = new Set(['NotRun', 'Active', 'Paused', 'Quarantine']);

/**
 * `/_emulator/...`: what tests and demos look at, apart from the Graph surface and without a
 * token (the emulator listens on 127.0.0.1 only). Mirrors the library API.
 */
export function inspectionRoutes(emulator: () => EntraEmulator): Router {
  const router = Router();

  router.get('/_emulator/ca.pem', (_req, res) => {
    res.type('application/x-pem-file').send(emulator().caCertPem);
  });
  router.get('/_emulator/users', (req, res) => {
    const tenantId = typeof req.query.tenantId === 'string' ? req.query.tenantId : undefined;
    res.json({ value: emulator().users(tenantId) });
  });
  router.get('/_emulator/bulk-requests', (_req, res) => {
    res.json({ value: emulator().bulkRequests() });
  });
  router.get('/_emulator/counters', (_req, res) => {
    res.json(emulator().counters());
  });
  router.get('/_emulator/jobs', (_req, res) => {
    res.json({ value: emulator().jobs() });
  });
  router.post('/_emulator/jobs/:jobId/state', express.json(), (req, res) => {
    const state = (req.body as { state?: unknown } | undefined)?.state;
    if (typeof state !== 'string' || !states.has(state)) {
      res.status(400).json({ error: 'state must be one of NotRun, Active, Paused, Quarantine' });
      return;
    }
    const done = emulator().setJobState(req.params.jobId, state as 'Active');
    if (!done) res.status(404).json({ error: 'no such job' });
    else res.status(204).end();
  });
  router.post('/_emulator/cycles', async (_req, res) => {
    res.json({ value: await emulator().runCycle() });
  });

  return router;
}
