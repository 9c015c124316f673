import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTlsMaterial, type TlsMaterial } from './certificate-authority.ts';

export interface KeyMaterial {
  tls: TlsMaterial;
  tokenSigningKey: KeyObject;
  /** The CA certificate, written out for clients to trust. */
  caFile: string;
  /** Removes what was written, when it lives in a temporary directory. */
  dispose: () => void;
}

/**
 * The CA, the server certificate and the token-signing key. With a `tlsDir` the CA and signing key
 * are kept there and reused, so clients that trust the CA and hold tokens survive a restart;
 * without one they are fresh and the CA file goes to a temporary directory removed at stop.
 */
export function prepareKeyMaterial(tlsDir: string | undefined): KeyMaterial {
  const dir = tlsDir ?? mkdtempSync(join(tmpdir(), 'entra-emulator-'));
  mkdirSync(dir, { recursive: true });
  const caFile = join(dir, 'ca.pem');
  const caKeyFile = join(dir, 'ca-key.pem');
  const signingKeyFile = join(dir, 'token-signing-key.pem');

  const reuse = tlsDir !== undefined && existsSync(caFile) && existsSync(caKeyFile);
  const tls = createTlsMaterial(
    reuse
      ? { certPem: readFileSync(caFile, 'utf8'), keyPem: readFileSync(caKeyFile, 'utf8') }
      : undefined,
  );
  if (!reuse) {
    writeFileSync(caFile, tls.caCertPem);
    if (tlsDir !== undefined) writeFileSync(caKeyFile, tls.caKeyPem, { mode: 0o600 });
  }

  let tokenSigningKey: KeyObject;
  if (tlsDir !== undefined && existsSync(signingKeyFile)) {
    tokenSigningKey = createPrivateKey(readFileSync(signingKeyFile, 'utf8'));
  } else {
    tokenSigningKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    if (tlsDir !== undefined) {
      writeFileSync(signingKeyFile, tokenSigningKey.export({ type: 'pkcs8', format: 'pem' }), {
        mode: 0o600,
      });
    }
  }

  return {
    tls,
    tokenSigningKey,
    caFile,
    dispose: () => {
      if (tlsDir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
