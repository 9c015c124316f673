import express, { type NextFunction, type Request, type Response } from 'express';
import type { DeliveryPipeline, DeliveryResult } from '../runtime/delivery-pipeline.ts';
import type { ConnectionEntry } from '../runtime/delivery-pipeline.ts';
import type { KafkaHealth } from '../runtime/kafka-health.ts';
import { sendRefusal, type RefusalReason, type WebhookObserver } from './refusal.ts';

export interface WebhookAppOptions<C> {
  system: string;
  pipeline: DeliveryPipeline<unknown, C>;
  connections: ReadonlyMap<string, ConnectionEntry<C>>;
  health: KafkaHealth;
  observer?: WebhookObserver;
  /** Default 1 MiB: HR payloads are small, a large body is a mistake or an attack. */
  bodyLimitBytes?: number;
  /** False while shutting down, so `/readyz` takes the instance out of rotation. */
  accepting?: () => boolean;
}

interface Timed {
  startedAt: number;
  connectionId: string | undefined;
}

/**
 * The HTTP face of an adapter: `POST /webhooks/{connectionId}`, `/healthz`, `/readyz`. Every
 * answer that is not a success goes through `refuse`, one place for codes and metrics.
 */
export function createWebhookApp<C>(options: WebhookAppOptions<C>): express.Express {
  const { system, observer } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const timing = new WeakMap<Request, Timed>();
  const refuse = (
    request: Request,
    response: Response,
    reason: RefusalReason,
    message: string,
    error?: unknown,
  ) => {
    const timed = timing.get(request);
    const status = sendRefusal(response, reason, message);
    observer?.refused?.({
      system,
      connectionId: timed?.connectionId,
      reason,
      status,
      durationMs: timed ? performance.now() - timed.startedAt : 0,
      ...(error === undefined ? {} : { error }),
    });
  };

  const rawBody = express.raw({ type: () => true, limit: options.bodyLimitBytes ?? 1024 * 1024 });

  app.post(
    '/webhooks/:connectionId',
    (request, response, next) => {
      const entry = options.connections.get(request.params.connectionId ?? '');
      timing.set(request, { startedAt: performance.now(), connectionId: entry?.connection.id });
      observer?.received?.({ system, connectionId: entry?.connection.id });
      if (!entry) {
        refuse(request, response, 'connection_unknown', 'no connection with this id');
        return;
      }
      next();
    },
    rawBody,
    async (request, response) => {
      const entry = options.connections.get(request.params.connectionId ?? '')!;
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      let result: DeliveryResult;
      try {
        result = await options.pipeline.handle(entry, request.headers, body);
      } catch (error) {
        refuse(request, response, 'internal', 'the delivery could not be processed', error);
        return;
      }
      if (!result.accepted) {
        refuse(request, response, result.reason, result.message, result.error);
        return;
      }
      const timed = timing.get(request)!;
      // Written directly rather than through `response.json`: the answer is small and fixed in
      // shape, and express's freshness and content negotiation have nothing to do here.
      const answer = JSON.stringify({ status: result.outcome, events: result.events });
      response
        .writeHead(result.outcome === 'deferred' ? 202 : 200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(answer),
        })
        .end(answer);
      observer?.accepted?.({
        system,
        connectionId: entry.connection.id,
        outcome: result.outcome,
        events: result.events,
        durationMs: performance.now() - timed.startedAt,
      });
    },
  );

  // After the webhook route, which the router tries first: it is the one that takes the load.
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });

  app.get('/readyz', async (_request, response) => {
    const accepting = options.accepting?.() ?? true;
    const kafka = accepting && (await options.health.ready());
    response
      .status(kafka ? 200 : 503)
      .json({ status: kafka ? 'ready' : 'unavailable', accepting, kafka });
  });

  app.all('/webhooks/:connectionId', (request, response) => {
    response.set('Allow', 'POST');
    refuse(request, response, 'method_not_allowed', 'deliveries are POSTed');
  });

  app.use((request: Request, response: Response) => {
    refuse(request, response, 'route_unknown', 'no such route');
  });

  // Errors raised by express itself: body reading, URL decoding. Never a stack trace in an answer.
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const { reason, message } = classifyExpressError(error);
    refuse(request, response, reason, message, reason === 'internal' ? error : undefined);
  });

  return app;
}

function classifyExpressError(error: unknown): { reason: RefusalReason; message: string } {
  const { type, status } = (error ?? {}) as { type?: string; status?: number };
  switch (type) {
    case 'entity.too.large':
      return { reason: 'too_large', message: 'the body exceeds the size limit' };
    case 'encoding.unsupported':
      return { reason: 'media_type', message: 'the content encoding is not supported' };
    case 'charset.unsupported':
      return { reason: 'media_type', message: 'the charset is not supported' };
    case 'request.aborted':
      return { reason: 'malformed', message: 'the request was aborted' };
    case 'request.size.invalid':
      return { reason: 'malformed', message: 'the body length does not match Content-Length' };
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { reason: 'malformed', message: 'the request is malformed' };
  }
  return { reason: 'internal', message: 'the request could not be processed' };
}
