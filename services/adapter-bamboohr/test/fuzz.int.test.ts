import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Pool } from 'undici';
import { createKafkaClient, type Kafka } from '@tributary/kafka';
import { resolveConnections, type AdapterService } from '@tributary/webhook-kit';
import { createTestTopics } from '@tributary/webhook-kit/testing';
import { createBambooHrService } from '../src/app.ts';
import { bambooHrAdapter } from '../src/bamboohr-adapter.ts';
import { startBambooHrStandIn, type BambooHrStandIn } from './fixtures/bamboohr-api-stand-in.ts';
import { bambooHeaders } from './fixtures/sign.ts';

const requests = 10_000;
const key = 'fuzz-key';

let kafka: Kafka;
let service: AdapterService;
let api: BambooHrStandIn;
let pool: Pool;

// A small deterministic generator, so a failure can be replayed from its seed.
let seed = Number(process.env['FUZZ_SEED'] ?? 20260301);
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (max: number) => Math.floor(random() * max);

const seeds = [
  JSON.stringify({
    type: 'employee.updated',
    timestamp: '2026-01-31T18:42:00+0000',
    data: { companyId: '1', employeeId: '41', changedFields: ['jobTitle', 'status'] },
  }),
  JSON.stringify({ type: 'employee.deleted', data: { employeeId: '9' } }),
  JSON.stringify({
    employees: [
      {
        id: 7,
        changedFields: ['jobTitle'],
        fields: {
          employeeNumber: { value: 'E-7' },
          status: { value: 'Active' },
          hireDate: { value: '2020-01-01' },
          workEmail: { value: 'x@y.example' },
        },
      },
    ],
  }),
  'type=employee.updated&data[companyId]=1&data[employeeId]=41&data[changedFields][0]=firstName',
  'employees[0][id]=5&employees[0][fields][employeeNumber]=E-5&employees[0][fields][status]=Active',
];
const weird = [
  '',
  'null',
  '[]',
  '{}',
  '"x"',
  '1e999',
  '{"__proto__":{"a":1}}',
  '[[[[[[[[[[]]]]]]]]]]',
  '\u0000',
  '%',
  'a[=1',
  'a]]=1',
  'x[__proto__][y]=1',
  'a[99999]=1',
  '{"type":"employee.updated","data":{"employeeId":{"$gt":""}}}',
];
const jsonValues = [
  null,
  true,
  0,
  -1,
  1e308,
  '',
  'Active',
  '0000-00-00',
  '2099-12-31',
  [],
  {},
  ['a'],
  { value: null },
  'x'.repeat(3000),
];

function mutateJson(text: string): string {
  try {
    const value = JSON.parse(text) as unknown;
    const visit = (node: unknown, depth: number): unknown => {
      if (random() < 0.15 || depth > 6) return pick(jsonValues);
      if (Array.isArray(node)) return node.map((item) => visit(item, depth + 1));
      if (node && typeof node === 'object') {
        const copy: Record<string, unknown> = {};
        for (const [name, item] of Object.entries(node)) {
          if (random() < 0.1) continue;
          copy[random() < 0.05 ? `${name}_` : name] = visit(item, depth + 1);
        }
        return copy;
      }
      return random() < 0.3 ? pick(jsonValues) : node;
    };
    return JSON.stringify(visit(value, 0));
  } catch {
    return text;
  }
}

function mutateBytes(text: string): string {
  const chars = [...text];
  for (let n = 0, count = 1 + int(4); n < count; n++) {
    const at = int(chars.length + 1);
    switch (int(4)) {
      case 0:
        chars.splice(at, 1 + int(8));
        break;
      case 1:
        chars.splice(at, 0, String.fromCharCode(int(0x3000)));
        break;
      case 2:
        chars.splice(at, 0, ...chars.slice(at, at + int(20)));
        break;
      default:
        chars[at] = pick(['{', '}', '[', ']', '"', '&', '=', '%', '\\', ',']);
    }
  }
  return chars.join('');
}

function fuzzCase(): {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer;
} {
  const base = pick(seeds);
  const form = !base.startsWith('{');
  let body: string | Buffer = base;
  switch (int(5)) {
    case 0:
      body = mutateJson(base);
      break;
    case 1:
      body = mutateBytes(base);
      break;
    case 2:
      body = pick(weird);
      break;
    case 3:
      body = Buffer.from(Array.from({ length: int(2048) }, () => int(256)));
      break;
  }
  const text = typeof body === 'string' ? body : body.toString('latin1');
  const contentType =
    random() < 0.8
      ? form
        ? 'application/x-www-form-urlencoded'
        : 'application/json'
      : pick([
          'text/plain',
          'application/json; charset=latin1',
          '',
          'multipart/form-data',
          'application/JSON',
        ]);
  const signed = bambooHeaders(random() < 0.8 ? key : 'other', text, {
    contentType,
    ...(random() < 0.1
      ? { timestamp: pick(['', 'yesterday', '0', '99999999999', '2026-13-45T00:00:00Z']) }
      : {}),
  });
  if (typeof body !== 'string') {
    signed['x-bamboohr-signature'] = bambooHeaders(key, '', {
      timestamp: signed['x-bamboohr-timestamp']!,
    })['x-bamboohr-signature']!;
  }
  if (random() < 0.05) delete signed['x-bamboohr-signature'];
  if (random() < 0.05) signed['content-encoding'] = pick(['gzip', 'br', 'identity', 'bogus']);
  const roll = random();
  const path =
    roll < 0.9
      ? '/webhooks/fuzz'
      : pick(['/webhooks/none', '/webhooks/%E0%A4%A', '/', '/webhooks/', '/readyz?x=1']);
  return {
    method: random() < 0.97 ? 'POST' : pick(['GET', 'PUT', 'DELETE']),
    path,
    headers: signed,
    body,
  };
}

beforeAll(async () => {
  kafka = createKafkaClient({
    clientId: 'bamboo-fuzz',
    brokers: process.env['KAFKA_BROKERS']!.split(','),
  });
  const topics = await createTestTopics(kafka, 'bamboo-fuzz');
  api = await startBambooHrStandIn('fuzz', 'k');
  api.employees.set('41', { employeeNumber: 'E-41', status: 'Active' });
  const connections = resolveConnections(
    [
      {
        id: 'fuzz',
        system: 'bamboohr',
        tenantId: 'fuzz',
        secrets: [{ env: 'K' }],
        hydration: {
          baseUrl: api.baseUrl,
          credentials: { apiKey: { env: 'A' } },
          requestsPerSecond: 10_000,
        },
      },
    ],
    {
      system: 'bamboohr',
      optionsSchema: bambooHrAdapter.optionsSchema!,
      credentialNames: ['apiKey'],
    },
    'test',
    { K: key, A: 'k' },
  );
  service = createBambooHrService({
    connections,
    kafka,
    topics,
    hydrationWorker: false,
    bodyLimitBytes: 64 * 1024,
  });
  const { port } = await service.start({ port: 0 });
  pool = new Pool(`http://127.0.0.1:${port}`, { connections: 16 });
});

afterAll(async () => {
  await pool?.close();
  await service?.close(2_000);
  await api?.close();
});

it(`answers ${requests} random and mutated requests without a 5xx or a crash`, async () => {
  const statuses = new Map<number, number>();
  const unexpected: string[] = [];
  let sent = 0;

  const workerLoop = async () => {
    while (sent < requests) {
      sent++;
      const fuzz = fuzzCase();
      const response = await pool.request({
        method: fuzz.method as 'POST',
        path: fuzz.path,
        headers: fuzz.headers,
        body: fuzz.body,
      });
      const text = await response.body.text();
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      if (response.statusCode >= 500) unexpected.push(`${response.statusCode} ${text}`);
      if (response.statusCode >= 400) {
        const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
        if (!parsed.error?.code || /\n\s+at /.test(text)) unexpected.push(`bad error body ${text}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, workerLoop));

  console.log('fuzz statuses', Object.fromEntries(statuses));
  expect(unexpected).toEqual([]);
  expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(requests);
  const health = await pool.request({ method: 'GET', path: '/healthz' });
  expect(health.statusCode).toBe(200);
  await health.body.text();
}, 120_000);
