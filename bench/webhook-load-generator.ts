// Open-loop load for the webhook adapters, run as a child process of webhook-adapter.bench.ts so
// that signing and HTTP client work do not share a CPU budget with the adapter being measured.
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Pool } from 'undici';

interface LoadOptions {
  url: string;
  path: string;
  source: 'bamboohr' | 'standard-webhooks' | 'hibob' | 'merge';
  secret: string;
  rate: number;
  durationSeconds: number;
  connections: number;
  /** Write the signed requests as vegeta JSON targets to this file and exit, instead of sending. */
  vegetaTargets?: string;
}

const options = JSON.parse(process.argv[2]!) as LoadOptions;

function standardWebhook(n: number): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({
    type: 'worker.updated',
    timestamp: new Date().toISOString(),
    data: {
      sourceWorkerId: `src-${n}`,
      employeeId: `bench-${n % 5000}`,
      name: { givenName: 'Bench', familyName: `Worker${n}` },
      emails: [{ value: `bench.${n}@contoso.example`, type: 'work', primary: true }],
      job: { title: 'Engineer', department: 'Research' },
      manager: { employeeId: 'bench-0' },
      employment: { status: 'active', active: true, hireDate: '2024-01-01' },
    },
  });
  const id = `msg_${n}_${randomBytes(6).toString('hex')}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(options.secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
    },
  };
}

function bambooWebhook(n: number): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({
    employees: [
      {
        id: n,
        changedFields: ['jobTitle'],
        fields: {
          employeeNumber: { value: `B-${n}` },
          status: { value: 'Active' },
          firstName: { value: 'Bench' },
          jobTitle: { value: `Engineer ${n}` },
          hireDate: { value: '2024-01-01' },
        },
      },
    ],
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-bamboohr-timestamp': timestamp,
      'x-bamboohr-signature': createHmac('sha256', options.secret)
        .update(body + timestamp)
        .digest('hex'),
    },
  };
}

function hiBobWebhook(n: number): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({
    companyId: 424242,
    type: 'employee.updated',
    triggeredBy: '3332883884017713238',
    triggeredAt: new Date().toISOString(),
    version: 'v2',
    data: { employeeId: String(n), fieldUpdates: ['work.title'] },
  });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'bob-signature': createHmac('sha512', options.secret).update(body).digest('base64'),
    },
  };
}

function mergeWebhook(n: number): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({
    hook: { id: 'bench-hook', event: 'Employee.changed', target: `${options.url}${options.path}` },
    linked_account: { id: 'bench', integration: 'BambooHR' },
    data: {
      id: `m-${n}`,
      employee_number: `M-${n}`,
      first_name: 'Bench',
      last_name: `Worker${n}`,
      work_email: `bench.${n}@contoso.example`,
      employments: [{ job_title: 'Engineer', employment_type: 'FULL_TIME' }],
      employment_status: 'ACTIVE',
      hire_date: '2024-01-01T00:00:00Z',
      modified_at: new Date().toISOString(),
    },
  });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-merge-webhook-signature': createHmac('sha256', options.secret)
        .update(body)
        .digest('base64url'),
    },
  };
}

const make = {
  bamboohr: bambooWebhook,
  'standard-webhooks': standardWebhook,
  hibob: hiBobWebhook,
  merge: mergeWebhook,
}[options.source];
const total = options.rate * options.durationSeconds;
// Signed as they go (some 10 µs each): holding a whole run's requests made the generator's heap
// hundreds of megabytes, and its collections paused it long enough to show in the latencies.
// Numbered from the start time in microseconds: runs of up to a million requests started a second
// apart (the warm-up and the measured run) never reuse a number, so never send the same body
// twice (BambooHR's delivery id is a hash of the body: a repeated body is a duplicate).
const firstId = Date.now() * 1000;

if (options.vegetaTargets !== undefined) {
  // Signed ahead for vegeta, which sends them at the rate itself: a Go client whose own pauses
  // are far shorter than a Node process's collections.
  const out = createWriteStream(options.vegetaTargets);
  for (let n = 0; n < total; n++) {
    const { headers, body } = make(firstId + n);
    const header = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
    const line = JSON.stringify({
      method: 'POST',
      url: `${options.url}${options.path}`,
      header,
      body: Buffer.from(body).toString('base64'),
    });
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  process.exit(0);
}

const pool = new Pool(options.url, { connections: options.connections, keepAliveTimeout: 30_000 });
const latencies: number[] = [];
const statuses: Record<number, number> = {};
let errors = 0;
let sent = 0;
// The generator's own stalls delay when it sees an answer, so they are reported next to the
// latencies they inflate.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const startedAt = performance.now();

await new Promise<void>((resolve) => {
  let done = 0;
  const tick = () => {
    const due = Math.min(
      total,
      Math.floor(((performance.now() - startedAt) / 1000) * options.rate),
    );
    while (sent < due) {
      const request = make(firstId + sent++);
      const begin = performance.now();
      pool
        .request({
          method: 'POST',
          path: options.path,
          headers: request.headers,
          body: request.body,
        })
        .then(async (response) => {
          await response.body.text();
          latencies.push(performance.now() - begin);
          statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
        })
        .catch(() => {
          errors++;
        })
        .finally(() => {
          if (++done === total) resolve();
        });
    }
    if (sent < total) setTimeout(tick, 1);
  };
  tick();
});

const elapsedSeconds = (performance.now() - startedAt) / 1000;
latencies.sort((a, b) => a - b);
const quantile = (q: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
await pool.close();
process.stdout.write(
  JSON.stringify({
    offeredRate: options.rate,
    completed: latencies.length,
    errors,
    statuses,
    elapsedSeconds,
    throughput: latencies.length / elapsedSeconds,
    p50: quantile(0.5),
    p90: quantile(0.9),
    p95: quantile(0.95),
    p99: quantile(0.99),
    max: latencies.at(-1),
    generatorLoopDelayMs: {
      p99: loopDelay.percentile(99) / 1e6,
      max: loopDelay.max / 1e6,
    },
  }),
);
