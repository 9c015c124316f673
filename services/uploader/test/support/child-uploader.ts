import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { EntraEmulator } from '@tributary/entra-emulator';
import { ids } from './entra.ts';

const mainPath = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** A targets file for `emulator`, as an operator would write it, in a fresh temporary folder. */
export function writeTargets(
  emulator: EntraEmulator,
  lingerMs = 50,
): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'uploader-targets-'));
  const file = join(dir, 'targets.yaml');
  writeFileSync(
    file,
    [
      'tenants:',
      '  contoso:',
      `    tenantId: ${ids.tenantId}`,
      `    authorityHost: ${emulator.authorityHost}`,
      `    graphBaseUrl: ${emulator.graphUrl}`,
      `    caFile: ${emulator.caFile}`,
      '    credential:',
      '      kind: clientSecret',
      `      clientId: ${ids.appId}`,
      '      secret: { env: TEST_CLIENT_SECRET }',
      'jobs:',
      '  contoso-workers:',
      '    tenant: contoso',
      `    servicePrincipalId: ${ids.servicePrincipalId}`,
      `    jobId: ${ids.jobId}`,
      '    connections: [contoso-hr]',
      '    batch:',
      `      lingerMs: ${lingerMs}`,
      '',
    ].join('\n'),
  );
  return { file, dir };
}

export interface ChildUploader {
  readonly process: ChildProcess;
  /** The health port, once the child logged it. */
  port(): Promise<number>;
  /** Log lines (parsed JSON) so far. */
  readonly lines: Record<string, unknown>[];
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/** `node services/uploader/src/main.ts` as a child process, configured by environment alone. */
export function startChildUploader(env: Record<string, string>): ChildUploader {
  const child = spawn(process.execPath, [mainPath], {
    env: {
      PATH: process.env.PATH ?? '',
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
      TEST_CLIENT_SECRET: ids.secret,
      PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const exit = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  let resolvePort: (port: number) => void = () => {};
  let rejectPort: (error: Error) => void = () => {};
  const port = new Promise<number>((resolve, reject) => {
    resolvePort = resolve;
    rejectPort = reject;
  });
  void exit.then(({ code, signal }) =>
    rejectPort(new Error(`uploader exited (${code ?? signal}) before listening`)),
  );
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry.msg === 'health endpoint listening') resolvePort(entry.port as number);
    } catch {
      lines.push({ text: line });
    }
  });
  child.stderr!.resume();
  return {
    process: child,
    port: () => port,
    lines,
    exited: () => exit,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
