import { Router, type Request, type Response } from 'express';
import type { TokenIssuer } from '../auth/token-issuer.ts';
import type { EmulatorState } from '../emulator-state.ts';
import type { FaultInjector } from '../throttling/fault-injector.ts';
import { authenticate, forbid, permits } from './graph-auth.ts';
import { sendGraphError } from './graph-response.ts';

const readAny = [
  'Synchronization.Read.All',
  'Synchronization.ReadWrite.All',
  'Application.ReadWrite.All',
];
const writeAny = ['Synchronization.ReadWrite.All', 'Application.ReadWrite.All'];
const ownedBy = ['Application.ReadWrite.OwnedBy'];

/** The synchronization job resource: list, get, and the start / pause / restart actions. */
export function jobRoutes(
  state: EmulatorState,
  issuer: TokenIssuer,
  faults: FaultInjector,
): Router {
  const router = Router();
  const base = '/:version/servicePrincipals/:spId/synchronization/jobs';
  const fault = faults.middleware('jobs', (_req, res) =>
    sendGraphError(res, 503, 'serviceNotAvailable', 'The service is temporarily unavailable.'),
  );

  const locate = (req: Request, res: Response, write: boolean) => {
    const claims = authenticate(req, res, issuer);
    if (!claims) return undefined;
    const { spId = '', jobId } = req.params as Record<string, string | undefined>;
    const sp = state.tenants.get(claims.tid)?.servicePrincipals.get(spId);
    if (!sp) {
      sendGraphError(res, 404, 'Request_ResourceNotFound', `Resource '${spId}' does not exist.`);
      return undefined;
    }
    if (!permits(claims, write ? writeAny : readAny, ownedBy, sp)) {
      forbid(res);
      return undefined;
    }
    if (jobId === undefined) return { sp, job: undefined };
    const job = sp.jobs.get(jobId);
    if (!job) {
      sendGraphError(res, 404, 'NotFound', `The synchronization job '${jobId}' was not found.`);
      return undefined;
    }
    return { sp, job };
  };

  router.get(base, fault, (req, res) => {
    const found = locate(req, res, false);
    if (found) res.json({ value: [...found.sp.jobs.values()].map((job) => job.toGraph()) });
  });

  router.get(`${base}/:jobId`, fault, (req, res) => {
    const found = locate(req, res, false);
    if (found?.job) res.json(found.job.toGraph());
  });

  for (const action of ['start', 'pause', 'restart'] as const) {
    router.post(`${base}/:jobId/${action}`, fault, (req, res) => {
      const found = locate(req, res, true);
      if (!found?.job) return;
      found.job[action]();
      res.status(204).end();
    });
  }

  return router;
}
