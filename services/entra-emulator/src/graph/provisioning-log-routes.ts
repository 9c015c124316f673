import { Router } from 'express';
import type { EmulatorConfig } from '../config/emulator-config.ts';
import type { TokenIssuer } from '../auth/token-issuer.ts';
import type { EmulatorState } from '../emulator-state.ts';
import { parseLogFilter, type LogPredicate } from '../provisioning/log-filter.ts';
import { renderLogRecord } from '../provisioning/log-record.ts';
import type { FaultInjector } from '../throttling/fault-injector.ts';
import { authenticate, forbid, permits } from './graph-auth.ts';
import { sendGraphError } from './graph-response.ts';

const readLogs = ['ProvisioningLog.Read.All', 'AuditLog.Read.All'];

/**
 * `GET /{version}/auditLogs/provisioning`: the caller's tenant's entries that are visible yet,
 * newest first unless `$orderby=activityDateTime asc`, in pages linked by `@odata.nextLink`.
 */
export function provisioningLogRoutes(
  state: EmulatorState,
  issuer: TokenIssuer,
  faults: FaultInjector,
  settings: () => EmulatorConfig,
  graphUrl: () => string,
): Router {
  const router = Router();

  router.get(
    '/:version/auditLogs/provisioning',
    faults.middleware('provisioningLogs', (_req, res) =>
      sendGraphError(res, 503, 'serviceNotAvailable', 'The service is temporarily unavailable.'),
    ),
    (req, res, next) => {
      const version = req.params.version as string;
      if (version !== 'v1.0' && version !== 'beta') return next();
      const claims = authenticate(req, res, issuer);
      if (!claims) return;
      if (!permits(claims, readLogs, [], undefined)) return forbid(res);

      const query = req.query as Record<string, string | undefined>;
      const pageSettings = settings().provisioningLogs;
      const bad = (message: string) => sendGraphError(res, 400, 'BadRequest', message);

      let top = pageSettings.defaultPageSize;
      if (query.$top !== undefined) {
        top = Number(query.$top);
        if (!Number.isInteger(top) || top < 1 || top > pageSettings.maxPageSize) {
          return bad(`Invalid value for $top: expected 1..${pageSettings.maxPageSize}.`);
        }
      }

      let descending = true;
      if (query.$orderby !== undefined) {
        const order = /^\s*activityDateTime(?:\s+(asc|desc))?\s*$/i.exec(query.$orderby);
        if (!order) return bad(`Invalid $orderby: only activityDateTime asc|desc is supported.`);
        descending = order[1]?.toLowerCase() !== 'asc';
      }

      let predicate: LogPredicate | undefined;
      if (query.$filter !== undefined && query.$filter.trim() !== '') {
        const parsed = parseLogFilter(query.$filter);
        if (!parsed.ok) return bad(parsed.message);
        predicate = parsed.predicate;
      }

      let after: number | undefined;
      if (query.$skiptoken !== undefined) {
        after = decodeSkipToken(query.$skiptoken);
        if (after === undefined) return bad('Invalid $skiptoken.');
      }

      const tenantId = claims.tid;
      const page = state.logs.query({
        predicate: predicate
          ? (r) => r.tenantId === tenantId && predicate(r)
          : (r) => r.tenantId === tenantId,
        descending,
        top,
        after,
        nowMs: Date.now(),
      });

      const body: Record<string, unknown> = {
        '@odata.context': `${graphUrl()}/${version}/$metadata#auditLogs/provisioning`,
        value: page.records.map(renderLogRecord),
      };
      if (page.continueAfter !== undefined) {
        const params = new URLSearchParams();
        if (query.$filter !== undefined) params.set('$filter', query.$filter);
        if (query.$orderby !== undefined) params.set('$orderby', query.$orderby);
        params.set('$top', String(top));
        params.set('$skiptoken', encodeSkipToken(page.continueAfter));
        body['@odata.nextLink'] = `${graphUrl()}/${version}/auditLogs/provisioning?${params}`;
      }
      res.json(body);
    },
  );

  return router;
}

function encodeSkipToken(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

function decodeSkipToken(token: string): number | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const match = /^seq:(\d+)$/.exec(text);
  return match ? Number(match[1]) : undefined;
}
