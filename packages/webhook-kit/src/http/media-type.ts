import type { IncomingHttpHeaders } from 'node:http';

/** The media type without parameters, lower-cased; undefined when there is none. */
export function mediaTypeOf(headers: IncomingHttpHeaders): string | undefined {
  const value = headers['content-type'];
  if (value === undefined) return undefined;
  const type = value.split(';', 1)[0]!.trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** Whether the charset parameter, if any, is UTF-8: the only one the decoders read. */
export function isUtf8(headers: IncomingHttpHeaders): boolean {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(headers['content-type'] ?? '')?.[1];
  return charset === undefined || /^utf-?8$/i.test(charset);
}
