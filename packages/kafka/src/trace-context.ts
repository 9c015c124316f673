import {
  context as otelContext,
  propagation,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';

export type Headers = Record<string, Buffer | string | undefined>;

const setter: TextMapSetter<Headers> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<Headers> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    return value === undefined ? undefined : value.toString();
  },
};

/**
 * Writes the W3C trace context (`traceparent`, `tracestate`, baggage) of `context` into record
 * headers, through whatever propagator the process registered. Without telemetry configured the
 * propagator is a no-op and the headers stay as they were.
 */
export function injectTraceContext(
  headers: Headers,
  context: Context = otelContext.active(),
): Headers {
  propagation.inject(context, headers, setter);
  return headers;
}

/** The producer's context, read back from a consumed record's headers. */
export function extractTraceContext(
  headers: Headers | undefined,
  base: Context = otelContext.active(),
): Context {
  return propagation.extract(base, headers ?? {}, getter);
}
