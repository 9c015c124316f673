import { createHmac, timingSafeEqual, type BinaryLike, type KeyObject } from 'node:crypto';

export type HmacAlgorithm = 'sha256' | 'sha512';

/** The raw HMAC digest of `parts`, fed in order without separators. */
export function hmac(
  algorithm: HmacAlgorithm,
  key: BinaryLike | KeyObject,
  parts: readonly BinaryLike[],
): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * Compares a computed digest with the bytes a sender presented, in time independent of where they
 * differ. A length mismatch returns early: the length of a digest is public anyway.
 */
export function digestsEqual(expected: Buffer, presented: Buffer): boolean {
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}

/**
 * Decodes a presented signature, or undefined when it is not well-formed in `encoding`. Node's
 * decoders skip invalid characters silently, so the text is checked against the alphabet first.
 */
export function decodeSignature(
  text: string,
  encoding: 'hex' | 'base64' | 'base64url',
): Buffer | undefined {
  const alphabet = {
    hex: /^(?:[0-9a-fA-F]{2})+$/,
    base64: /^[A-Za-z0-9+/]+={0,2}$/,
    base64url: /^[A-Za-z0-9_-]+={0,2}$/,
  }[encoding];
  if (text.length > 1024 || !alphabet.test(text)) return undefined;
  return Buffer.from(text, encoding);
}
