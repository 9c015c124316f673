/**
 * How an adapter's process is started, wherever it runs: each adapter's `start` script spells
 * the same out, and `scripts/start.ts` and the adapter benchmark use these flags:
 * `node <flags> --import @tributary/telemetry/register src/main.ts`.
 *
 * `--max-semi-space-size` (MB) caps V8's young generation. An adapter answers each delivery
 * within milliseconds, so nearly all it allocates dies young; left to itself V8 grows the young
 * generation to 32-64 MB under load, and each collection of it then paused the event loop for up
 * to 15 ms, with every delivery arriving meanwhile waiting. At 3,000 deliveries a second, 8 MB
 * gave shorter pauses at the same CPU per delivery and a p99 answer time about a third lower.
 */
export const adapterNodeFlags: readonly string[] = ['--max-semi-space-size=8'];
