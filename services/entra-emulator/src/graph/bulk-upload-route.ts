import { Router, type Request, type Response } from 'express';
import type { EmulatorConfig } from '../config/emulator-config.ts';
import type { TokenIssuer } from '../auth/token-issuer.ts';
import type { EmulatorState } from '../emulator-state.ts';
import type { FaultInjector } from '../throttling/fault-injector.ts';
import type { TenantThrottle } from '../throttling/tenant-throttle.ts';
import { checkBulkRequest, type BulkRequestBody } from './bulk-request-schema.ts';
import { authenticate, forbid, permits } from './graph-auth.ts';
import { sendGraphError } from './graph-response.ts';

export interface BulkUploadRouteOptions {
  state: EmulatorState;
  issuer: TokenIssuer;
  settings: () => EmulatorConfig;
  throttle: TenantThrottle;
  faults: FaultInjector;
  graphUrl: () => string;
}

const uploadAny = ['SynchronizationData-User.Upload'];
const uploadOwned = ['SynchronizationData-User.Upload.OwnedBy'];
const invalidDataFormat = 'Invalid Data Format';

/**
 * `POST /{version}/servicePrincipals/{spId}/synchronization/jobs/{jobId}/bulkUpload`, checked in
 * the order a caller meets the failures: token, resource, permission, throttling, then the body.
 * Accepted operations are staged on the job; the answer is 202 with no body.
 */
export function bulkUploadRoute(options: BulkUploadRouteOptions): Router {
  const router = Router();
  const { state, issuer, throttle } = options;

  router.post(
    '/:version/servicePrincipals/:spId/synchronization/jobs/:jobId/bulkUpload',
    options.faults.middleware('bulkUpload', (_req, res) =>
      sendGraphError(res, 503, 'serviceNotAvailable', 'The service is temporarily unavailable.'),
    ),
    (req: Request, res: Response, next) => {
      const started = performance.now();
      // When the call arrived, which is when Entra counts it against the tenant's limits.
      const receivedAt = new Date().toISOString();
      const {
        version = '',
        spId = '',
        jobId = '',
      } = req.params as Record<string, string | undefined>;
      let tenantId: string | null = null;
      let operations = 0;
      res.on('finish', () => {
        state.recordBulkRequest({
          receivedAt,
          tenantId,
          servicePrincipalId: spId,
          jobId,
          operations,
          status: res.statusCode,
          errorCode: (res.locals.errorCode as string | undefined) ?? null,
          durationMs: Math.round((performance.now() - started) * 100) / 100,
          requestId: res.locals.requestId as string,
          clientRequestId: res.locals.clientRequestId as string,
        });
      });

      if (version !== 'v1.0' && version !== 'beta') return next();
      const claims = authenticate(req, res, issuer);
      if (!claims) return;
      tenantId = claims.tid;

      const tenant = state.tenants.get(claims.tid);
      const sp = tenant?.servicePrincipals.get(spId);
      if (!sp) {
        return sendGraphError(
          res,
          404,
          'Request_ResourceNotFound',
          `Resource '${spId}' does not exist or one of its queried reference-property objects ` +
            'are not present.',
        );
      }
      const job = sp.jobs.get(jobId);
      if (!job)
        return sendGraphError(
          res,
          404,
          'NotFound',
          `The synchronization job '${jobId}' was not found.`,
        );
      if (!permits(claims, uploadAny, uploadOwned, sp)) return forbid(res);

      const settings = options.settings();
      if (settings.throttling.enabled) {
        const quota = tenant!.config.dailyQuota ?? settings.throttling.dailyQuota;
        const decision = throttle.decide(claims.tid, settings.throttling, quota, Date.now());
        if (!decision.allowed) {
          state.counters.throttled[decision.limit] += 1;
          if (settings.throttling.retryAfter)
            res.setHeader('Retry-After', String(decision.retryAfterSeconds));
          res.locals.errorCode = 'TooManyRequests';
          const message =
            decision.limit === 'window'
              ? `Too many requests: more than ${settings.throttling.maxCallsPerWindow} calls in ` +
                `${settings.throttling.windowSeconds} seconds.`
              : `Too many requests: the tenant's quota of ${quota} calls in 24 hours is used up.`;
          return sendGraphError(res, 429, 'TooManyRequests', message);
        }
      }

      if (!isScimJson(req.get('content-type'))) {
        res.locals.errorCode = 'InvalidDataFormat';
        return sendGraphError(res, 400, 'BadRequest', invalidDataFormat, [
          {
            code: 'UnsupportedMediaType',
            message: 'Content-Type must be application/scim+json',
            target: 'Content-Type',
          },
        ]);
      }

      readBody(req, res, settings.bulkUpload.maxBodyBytes, (body) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          res.locals.errorCode = 'InvalidDataFormat';
          return sendGraphError(res, 400, 'BadRequest', invalidDataFormat, [
            { code: 'InvalidJson', message: 'the body is not valid JSON', target: '/' },
          ]);
        }
        const check = checkBulkRequest(parsed, settings.bulkUpload.maxOperations);
        if (check.tooMany) {
          res.locals.errorCode = 'TooManyOperations';
          return sendGraphError(
            res,
            400,
            'BadRequest',
            settings.bulkUpload.tooManyOperationsMessage,
          );
        }
        if (check.problems.length > 0) {
          res.locals.errorCode = 'InvalidDataFormat';
          return sendGraphError(res, 400, 'BadRequest', invalidDataFormat, check.problems);
        }

        const request = parsed as BulkRequestBody;
        const receivedAtMs = Date.now();
        for (const operation of request.Operations)
          job.staged.push({ data: operation.data, receivedAtMs });
        operations = request.Operations.length;
        state.counters.operationsAccepted += operations;

        const filter = encodeURIComponent(`jobid eq '${jobId}'`);
        res.setHeader(
          'Location',
          `${options.graphUrl()}/${version}/auditLogs/provisioning/?$filter=${filter}`,
        );
        res.status(202).end();
      });
    },
  );

  return router;
}

function isScimJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semicolon = contentType.indexOf(';');
  const type = (semicolon === -1 ? contentType : contentType.slice(0, semicolon))
    .trim()
    .toLowerCase();
  return type === 'application/scim+json';
}

/** Reads the raw body with a size cap; over the cap the caller gets 413 and the socket drains. */
function readBody(
  req: Request,
  res: Response,
  maxBytes: number,
  done: (body: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > maxBytes) {
      over = true;
      res.locals.errorCode = 'RequestEntityTooLarge';
      sendGraphError(
        res,
        413,
        'RequestEntityTooLarge',
        `The request body exceeds ${maxBytes} bytes.`,
      );
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (!over) done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
  });
}
