/**
 * A documented, public default for local runs and tests only: with it, a `workerRef` can be
 * reversed by anyone who guesses the worker id. Deployments set TRIBUTARY_HASH_KEY to a secret.
 */
export const localHashKey = 'tributary-local-hash-key';

/** The key of `workerRef`, from TRIBUTARY_HASH_KEY. */
export function workerRefKey(env: NodeJS.ProcessEnv = process.env): string {
  const key = env.TRIBUTARY_HASH_KEY;
  return key === undefined || key === '' ? localHashKey : key;
}
