import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { TributaryError } from '@tributary/errors';
import { CredentialRegistry } from './auth/credential-registry.ts';
import { TokenIssuer } from './auth/token-issuer.ts';
import { tokenRoutes } from './auth/token-routes.ts';
import type {
  EmulatorConfig,
  EmulatorConfigInput,
  FaultConfig,
  JobState,
  ThrottlingConfig,
} from './config/emulator-config.ts';
import { resolveEmulatorConfig } from './config/load-emulator-config.ts';
import { EmulatorState, type BulkRequestRecord, type EmulatorCounters } from './emulator-state.ts';
import { bulkUploadRoute } from './graph/bulk-upload-route.ts';
import { requestIds, sendGraphError } from './graph/graph-response.ts';
import { jobRoutes } from './graph/job-routes.ts';
import { provisioningLogRoutes } from './graph/provisioning-log-routes.ts';
import { viewUser, type DirectoryUserView } from './inspection/directory-view.ts';
import { inspectionRoutes } from './inspection/inspection-routes.ts';
import { runJobCycle, type CycleReport } from './provisioning/cycle-processor.ts';
import { renderLogRecord } from './provisioning/log-record.ts';
import { loadSnapshot, saveSnapshot } from './state/snapshot.ts';
import { FaultInjector } from './throttling/fault-injector.ts';
import { TenantThrottle } from './throttling/tenant-throttle.ts';
import { prepareKeyMaterial } from './tls/key-material.ts';

export interface StartEmulatorOptions {
  /** Where `env`-sourced client secrets are read; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** Called once per bulkUpload call answered, for a service's wide log line. */
  onBulkRequest?: (record: BulkRequestRecord) => void;
  /** Called after each processing cycle that had work. */
  onCycle?: (report: CycleReport) => void;
}

/** Settings that may change on a running emulator (tests flip throttling or faults mid-run). */
export interface RuntimeSettings {
  throttling?: Partial<ThrottlingConfig>;
  faults?: Partial<FaultConfig>;
  tokens?: { lifetimeSeconds?: number };
  provisioningLogs?: { visibilityDelayMs?: number };
  bulkUpload?: { maxOperations?: number; tooManyOperationsMessage?: string };
}

export interface EntraEmulator {
  /** Graph base URL without a version: `${graphUrl}/v1.0/servicePrincipals/...`. */
  readonly graphUrl: string;
  /** For `@azure/identity`'s `authorityHost` option. Same origin as `graphUrl`. */
  readonly authorityHost: string;
  readonly port: number;
  /** The CA that signed the emulator's TLS certificate, as PEM, and the file it was written to. */
  readonly caCertPem: string;
  readonly caFile: string;
  /** The validated configuration, defaults filled in. */
  readonly config: EmulatorConfig;

  /** Runs one cycle of every Active job with staged operations, now. */
  runCycle(): Promise<CycleReport[]>;
  /** Runs cycles until no Active job has staged operations left. */
  waitForIdle(): Promise<CycleReport[]>;
  users(tenantId?: string): DirectoryUserView[];
  /** The user whose employeeId is `externalId`. */
  user(externalId: string, tenantId?: string): DirectoryUserView | undefined;
  bulkRequests(): BulkRequestRecord[];
  counters(): EmulatorCounters;
  /** Every log entry of a job (or all), oldest first, ignoring the visibility delay. */
  provisioningLogs(jobId?: string): Record<string, unknown>[];
  /** Graph `synchronizationJob` resources. */
  jobs(): Record<string, unknown>[];
  job(jobId: string): Record<string, unknown> | undefined;
  setJobState(jobId: string, state: JobState): boolean;
  configure(settings: RuntimeSettings): void;
  stop(): Promise<void>;
}

const stopDeadlineMs = 5_000;

/**
 * Starts the emulator on HTTPS: the token endpoint, the Graph bulkUpload / job / provisioning
 * log surface and the `/_emulator` inspection routes on one port (0 picks a free one).
 */
export async function startEmulator(
  input: EmulatorConfigInput | EmulatorConfig,
  options: StartEmulatorOptions = {},
): Promise<EntraEmulator> {
  const config = resolveEmulatorConfig(input);
  const registry = new CredentialRegistry(config.tenants, options.env);
  const keys = prepareKeyMaterial(config.server.tlsDir);
  const state = new EmulatorState(config);
  if (config.server.stateFile) loadSnapshot(state, config.server.stateFile);

  const settings = (): EmulatorConfig => config;
  const issuer = new TokenIssuer(keys.tokenSigningKey, () => config.tokens.lifetimeSeconds);
  const faults = new FaultInjector(() => config.faults);
  const throttle = new TenantThrottle();
  let origin = '';
  const originOf = () => origin;

  // Cycles run one at a time: each call queues behind the one running.
  let cycleChain: Promise<unknown> = Promise.resolve();
  let saving: Promise<void> = Promise.resolve();
  const runCycle = (): Promise<CycleReport[]> => {
    const run = cycleChain.then(async () => {
      const reports: CycleReport[] = [];
      for (const { tenant, job } of state.jobs()) {
        if (!job.processes || job.staged.length === 0) continue;
        const report = await runJobCycle({
          job,
          directory: tenant.directory,
          logs: state.logs,
          defaultDomain: tenant.config.defaultDomain,
          visibilityDelayMs: config.provisioningLogs.visibilityDelayMs,
        });
        state.counters.cycles += 1;
        state.counters.operationsProcessed += report.operations;
        reports.push(report);
        options.onCycle?.(report);
      }
      if (reports.length > 0 && config.server.stateFile) {
        saving = saving.then(() => saveSnapshot(state, config.server.stateFile!)).catch(() => {});
      }
      return reports;
    });
    cycleChain = run.catch(() => {});
    return run;
  };
  const hasWork = () => [...state.jobs()].some(({ job }) => job.processes && job.staged.length > 0);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestIds);
  app.use(
    tokenRoutes({
      authorityHost: originOf,
      resolveTenant: (segment) => state.resolveTenant(segment),
      registry,
      issuer,
      faults,
      onIssued: (method) => {
        state.counters.tokensIssued[method] = (state.counters.tokensIssued[method] ?? 0) + 1;
      },
      onRejected: () => {
        state.counters.tokenRequestsRejected += 1;
      },
    }),
  );
  app.use(
    bulkUploadRoute({
      state,
      issuer,
      settings,
      throttle,
      faults,
      graphUrl: originOf,
    }),
  );
  app.use(jobRoutes(state, issuer, faults));
  app.use(provisioningLogRoutes(state, issuer, faults, settings, originOf));
  app.use(inspectionRoutes(() => emulator));
  app.use((_req: Request, res: Response) => {
    sendGraphError(
      res,
      404,
      'UnknownError',
      'No HTTP resource was found that matches the request URI.',
    );
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      sendGraphError(res, status, 'BadRequest', (error as Error).message);
      return;
    }
    sendGraphError(res, 500, 'generalException', 'An unexpected error occurred in the emulator.');
  });

  if (options.onBulkRequest) {
    const record = state.recordBulkRequest.bind(state);
    const notify = options.onBulkRequest;
    state.recordBulkRequest = (entry) => {
      record(entry);
      notify(entry);
    };
  }

  const server: Server = createServer(
    { key: keys.tls.serverKeyPem, cert: keys.tls.serverCertPem, keepAliveTimeout: 30_000 },
    app,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) =>
      reject(
        new TributaryError(
          'EMULATOR_START_FAILED',
          `cannot listen on ${config.server.host}:${config.server.port}`,
          { cause },
        ),
      ),
    );
    server.listen(config.server.port, config.server.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `https://${config.server.host}:${port}`;

  const timer =
    config.cycles.intervalMs > 0
      ? setInterval(() => {
          if (hasWork()) runCycle().catch(() => {});
        }, config.cycles.intervalMs)
      : undefined;
  timer?.unref();

  const emulator: EntraEmulator = {
    graphUrl: origin,
    authorityHost: origin,
    port,
    caCertPem: keys.tls.caCertPem,
    caFile: keys.caFile,
    config,

    runCycle,
    async waitForIdle() {
      const all: CycleReport[] = [];
      do all.push(...(await runCycle()));
      while (hasWork());
      return all;
    },
    users(tenantId) {
      const out: DirectoryUserView[] = [];
      for (const [id, tenant] of state.tenants) {
        if (tenantId !== undefined && id !== tenantId) continue;
        for (const user of tenant.directory.users()) out.push(viewUser(id, tenant.directory, user));
      }
      return out;
    },
    user(externalId, tenantId) {
      for (const [id, tenant] of state.tenants) {
        if (tenantId !== undefined && id !== tenantId) continue;
        const user = tenant.directory.byEmployeeId(externalId);
        if (user) return viewUser(id, tenant.directory, user);
      }
      return undefined;
    },
    bulkRequests: () => [...state.bulkRequests],
    counters: () => ({
      ...structuredClone(state.counters),
      faults: { ...faults.counters },
      logEntries: state.logs.size,
      users: [...state.tenants.values()].reduce((sum, t) => sum + t.directory.size, 0),
      dailyCallsByTenant: throttle.dailyCounts(),
    }),
    provisioningLogs: (jobId) =>
      state.logs
        .all()
        .filter((record) => jobId === undefined || record.jobId === jobId)
        .map(renderLogRecord),
    jobs: () => [...state.jobs()].map(({ job }) => job.toGraph()),
    job: (jobId) => state.findJob(jobId)?.job.toGraph(),
    setJobState(jobId, jobState) {
      const job = state.findJob(jobId)?.job;
      if (!job) return false;
      if (jobState === 'Active') job.start();
      else if (jobState === 'Paused') job.pause();
      else if (jobState === 'Quarantine') job.quarantine();
      else job.state = jobState;
      return true;
    },
    configure(changes) {
      Object.assign(config.throttling, changes.throttling);
      Object.assign(config.faults, changes.faults);
      Object.assign(config.tokens, changes.tokens);
      Object.assign(config.provisioningLogs, changes.provisioningLogs);
      Object.assign(config.bulkUpload, changes.bulkUpload);
      if (changes.faults?.seed !== undefined) faults.reseed(changes.faults.seed);
    },
    async stop() {
      if (timer) clearInterval(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = setTimeout(() => server.closeAllConnections(), stopDeadlineMs);
      deadline.unref();
      await closed;
      clearTimeout(deadline);
      await cycleChain;
      if (config.server.stateFile) {
        await saving;
        await saveSnapshot(state, config.server.stateFile);
      }
      keys.dispose();
    },
  };
  return emulator;
}
