import { context, createContextKey, type Context } from '@opentelemetry/api';

const key = createContextKey('tributary.url.template');

/**
 * Runs `work` with the route template (`/v1/people/{id}`) of the HTTP call it makes, so the
 * client span can name the route without the ids, emails or names the real path may hold.
 * Calls made without one are recorded with their path withheld.
 */
export function withUrlTemplate<T>(template: string, work: () => T): T {
  return context.with(context.active().setValue(key, template), work);
}

export function urlTemplateOf(ctx: Context): string | undefined {
  const value = ctx.getValue(key);
  return typeof value === 'string' ? value : undefined;
}
