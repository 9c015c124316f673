import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { attributes } from './attributes.ts';

/**
 * Marks a span failed with the error's stable code and type only. Messages are left out on
 * purpose: vendor and library messages may echo the values that caused them, and a span must
 * never carry a worker's personal data. (So no `recordException` either: it copies the message.)
 */
export function recordSpanError(span: Span, error: unknown): void {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  const type =
    typeof code === 'string' && code !== '' ? code : typeof name === 'string' ? name : 'Error';
  span.setAttribute(ATTR_ERROR_TYPE, type);
  if (typeof code === 'string' && code !== '') span.setAttribute(attributes.errorCode, code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}
