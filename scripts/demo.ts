// Posts a small org chart to the local pipeline as signed Standard Webhooks deliveries (reports
// before their manager, as an HR export might send them) and waits until the Entra emulator's
// directory holds every worker with the manager set. Used by `./tributary start --demo`.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { Agent, request } from 'undici';
import { localSecrets } from './local-secrets.ts';

const adapter = 'http://127.0.0.1:8084/webhooks/local-hr';
const emulator = 'https://127.0.0.1:8443';

const org = [
  { employeeId: 'D-1002', given: 'Kathy', family: 'Jensen', title: 'Engineer', manager: 'D-1001' },
  { employeeId: 'D-1003', given: 'Ann', family: 'Kowalski', title: 'Engineer', manager: 'D-1001' },
  { employeeId: 'D-1001', given: 'Barbara', family: 'Jensen', title: 'Director' },
];

export async function runDemo(say: (text: string) => void): Promise<void> {
  const signer = new Webhook(
    process.env.STANDARD_WEBHOOKS_SECRET ?? localSecrets.STANDARD_WEBHOOKS_SECRET!,
  );
  for (const person of org) {
    const body = JSON.stringify({
      type: 'worker.hired',
      timestamp: new Date().toISOString(),
      data: {
        sourceWorkerId: `demo-${person.employeeId}`,
        employeeId: person.employeeId,
        userName: `${person.given.toLowerCase()}.${person.family.toLowerCase()}@tributary.local`,
        name: { givenName: person.given, familyName: person.family },
        job: { title: person.title, department: 'Demo' },
        ...(person.manager ? { manager: { employeeId: person.manager } } : {}),
        employment: { status: 'active', active: true, hireDate: '2026-12-01' },
      },
    });
    const id = `msg_${randomUUID()}`;
    const timestamp = new Date();
    const response = await request(adapter, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signer.sign(id, timestamp, body),
      },
      body,
    });
    say(`posted ${person.employeeId}: ${response.statusCode} ${await response.body.text()}`);
  }

  const dispatcher = new Agent({
    connect: { ca: readFileSync('.data/entra-emulator/tls/ca.pem') },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await request(`${emulator}/_emulator/users`, { dispatcher });
    const { value: users } = (await response.body.json()) as {
      value: { employeeId: string; manager: { employeeId: string } | null }[];
    };
    const mine = org.map((person) => users.find((user) => user.employeeId === person.employeeId));
    const done = mine.every(
      (user, index) => user && (org[index]!.manager ?? null) === (user.manager?.employeeId ?? null),
    );
    if (done) {
      say('every demo worker is in the directory with its manager set:');
      for (const user of mine)
        say(`  ${user!.employeeId} -> manager ${user!.manager?.employeeId ?? '(none)'}`);
      await dispatcher.close();
      return;
    }
    if (Date.now() > deadline)
      throw new Error('the demo workers did not reach the directory within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
