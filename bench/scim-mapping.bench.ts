// Records per second for the uploader's per-record mapping work: map (with SCIM validation) and
// digest, on one core. Run: node bench/scim-mapping.bench.ts
import { performance } from 'node:perf_hooks';
import { sampleWorkerEvent } from '../packages/worker-event/src/testing.ts';
import { compileMapping, scimDigest } from '../services/uploader/src/mapping/index.ts';

const mapper = compileMapping(
  {
    extensionNamespace: 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User',
    attributes: {
      'extension:WorkEmail': { from: 'emails[work].value', case: 'lower' },
      'extension:StartDate': { from: 'employment.hireDate', dateFormat: 'datetime' },
    },
  },
  'bench',
);

// Distinct events, so the figure is not that of one object hot in every cache.
const events = Array.from({ length: 1_000 }, (_, index) =>
  sampleWorkerEvent({ employeeId: String(100_000 + index), managerEmployeeId: '100000' }),
);

function run(records: number): number {
  let digests = 0;
  for (let index = 0; index < records; index += 1) {
    const result = mapper.map(events[index % events.length]!);
    if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
    digests += scimDigest(result.user).length;
  }
  return digests;
}

run(20_000); // warm-up: let the JIT settle before measuring

const rounds: number[] = [];
for (let round = 0; round < 5; round += 1) {
  const records = 100_000;
  const started = performance.now();
  run(records);
  rounds.push(records / ((performance.now() - started) / 1000));
}
rounds.sort((a, b) => a - b);
const median = rounds[Math.floor(rounds.length / 2)]!;
console.log(
  `scim-mapping: ${Math.round(median).toLocaleString('en-US')} records/s (median of 5 rounds of ` +
    `100,000; map + validate + digest; node ${process.version})`,
);
