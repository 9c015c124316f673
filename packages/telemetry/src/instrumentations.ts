import type { IncomingMessage } from 'node:http';
import { context } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { ATTR_URL_FULL, ATTR_URL_PATH, ATTR_URL_QUERY } from '@opentelemetry/semantic-conventions';
import { urlTemplateOf } from './url-template.ts';

/** Endpoints polled by machines; a span per probe or scrape would drown the real traffic. */
const unTracedPaths = new Set(['/metrics', '/healthz', '/readyz']);

let created: Instrumentation[] | undefined;

/**
 * The instrumentations every service runs, made once per process (the `--import` hook and
 * `startTelemetry` share them). KafkaJS is deliberately absent: its instrumentation records
 * message keys, which are worker ids; `@tributary/kafka` makes the messaging spans itself.
 *
 * What they may record, and why it holds no personal data:
 * - incoming requests (http, express): method, route, status. Query strings are dropped; bodies
 *   and headers are never recorded.
 * - outgoing undici requests (hydration from HR APIs): the origin and the route template given
 *   with `withUrlTemplate`, never the real path or query, which hold employee ids and emails.
 *   The bulkUpload call makes its own span and suppresses this one.
 * - outgoing node:http requests (token requests of `@azure/identity`): the token endpoint, which
 *   names the tenant only.
 */
export function instrumentations(): Instrumentation[] {
  created ??= [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => unTracedPaths.has(pathOf(request)),
      startIncomingSpanHook: (request) =>
        (request.url ?? '').includes('?') ? { [ATTR_URL_QUERY]: '' } : {},
      redactedQueryParams: [],
    }),
    new ExpressInstrumentation({ ignoreLayersType: ['middleware' as never] }),
    new UndiciInstrumentation({
      startSpanHook: (request) => {
        const template = urlTemplateOf(context.active());
        const path = template ?? '/{withheld}';
        return {
          [ATTR_URL_FULL]: `${request.origin.replace(/\/+$/, '')}${path}`,
          [ATTR_URL_PATH]: path,
          [ATTR_URL_QUERY]: '',
          ...(template === undefined ? {} : { 'url.template': template }),
        };
      },
    }),
  ];
  return created;
}

function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
