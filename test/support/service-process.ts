import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface ServiceProcess {
  /** Every line the service wrote to stdout and stderr, in order. */
  readonly lines: string[];
  /** Resolves with the first JSON log line that `match` accepts. */
  waitForLog(
    match: (entry: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** SIGTERM, then waits for the exit (the service flushes its telemetry on the way out). */
  stop(): Promise<number | null>;
}

/**
 * Runs a service the way it is deployed: `node --import @tributary/telemetry/register
 * src/main.ts` in its own directory, configured by environment only.
 */
export function startService(service: string, env: Record<string, string>): ServiceProcess {
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', '@tributary/telemetry/register', 'src/main.ts'],
    {
      cwd: resolve(root, 'services', service),
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const waiters = new Set<(line: string) => void>();
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        for (const waiter of waiters) waiter(line);
      }
    });
  }

  return {
    lines,
    waitForLog(match, timeoutMs = 60_000) {
      const parse = (line: string) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          return undefined;
        }
      };
      const seen = lines.map(parse).find((entry) => entry && match(entry));
      if (seen) return Promise.resolve(seen);
      return new Promise((found, fail) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          fail(
            new Error(
              `${service}: no such log line within ${timeoutMs} ms:\n${lines.slice(-30).join('\n')}`,
            ),
          );
        }, timeoutMs);
        const waiter = (line: string) => {
          const entry = parse(line);
          if (!entry || !match(entry)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          found(entry);
        };
        waiters.add(waiter);
        void exited.then((code) => {
          if (!waiters.has(waiter)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          fail(new Error(`${service} exited (${code}):\n${lines.slice(-30).join('\n')}`));
        });
      });
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
  };
}
