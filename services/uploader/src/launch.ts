/**
 * How the uploader's process is started, wherever it runs: `pnpm start` in this package (its
 * `start` script spells the same out), `scripts/start.ts` and the memory benchmark. The flags go
 * before the telemetry hook and the entry point:
 * `<env> node <flags> --import @tributary/telemetry/register src/main.ts`.
 *
 * Both keep resident memory near what the process uses rather than what start-up once needed.
 */

/**
 * `--max-semi-space-size` (MB) caps V8's young generation. Left to itself V8 grows it under the
 * allocation bursts of start-up (loading modules, reading the state topic) to about 120 MB and
 * keeps those pages while the uploader waits. Too small a cap costs memory the other way: reading
 * the state topic then promotes its short-lived records, and the old generation stays committed
 * at twice what it holds. With 100,000 known workers, 16 MB gave 166-170 MB resident at rest,
 * 8 MB 203 and 4 MB 183-202, with the same throughput.
 */
export const uploaderNodeFlags: readonly string[] = ['--max-semi-space-size=16'];

/**
 * The process environment.
 *
 * glibc's allocator, where the image uses glibc (musl ignores both): by default every thread
 * that allocates may get an arena of its own (V8's helper threads, libuv's pool), and buffers
 * above a threshold that rises with use come from the heap, where freed space is rarely handed
 * back. Two arenas and a fixed 128 kB threshold (larger buffers are mapped and unmapped) kept
 * the malloc heap at 13-17 MB after the state load, against 28-40 MB without them.
 *
 * Node's compile cache, relative to the working directory: Node strips the types of our `.ts`
 * modules with a WebAssembly compiler that it loads on first use and never unloads (about 17 MB
 * resident). A start that finds every module in the cache never loads it, and compiles less.
 * The first start fills the cache (an image can fill it at build time by starting once); where
 * the directory cannot be written, Node runs without it.
 */
export const uploaderEnv: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
  NODE_COMPILE_CACHE: 'node_modules/.cache/node-compile-cache',
};
