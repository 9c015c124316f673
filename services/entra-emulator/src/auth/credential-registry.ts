import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TributaryError } from '@tributary/errors';
import type {
  AppConfig,
  PemSource,
  SecretSource,
  TenantConfig,
} from '../config/emulator-config.ts';

export interface RegisteredCertificate {
  publicKey: KeyObject;
  /** Base64url SHA-1 and SHA-256 thumbprints: the `x5t` and `x5t#S256` assertion headers. */
  x5t: string;
  x5tS256: string;
}

export interface RegisteredFederatedCredential {
  issuer: string;
  subject: string;
  audiences: string[];
  publicKeys: KeyObject[];
}

export interface RegisteredApp {
  tenantId: string;
  appId: string;
  displayName: string;
  servicePrincipalId: string;
  secrets: string[];
  certificates: RegisteredCertificate[];
  federatedCredentials: RegisteredFederatedCredential[];
  permissions: string[];
}

/**
 * The client applications that can obtain tokens, with their credentials loaded and parsed once
 * at start: secrets read from the environment or files, certificates hashed into thumbprints.
 */
export class CredentialRegistry {
  readonly #apps = new Map<string, RegisteredApp>();

  constructor(tenants: TenantConfig[], env: NodeJS.ProcessEnv = process.env) {
    tenants.forEach((tenant, t) => {
      tenant.apps.forEach((app, a) => {
        const where = `/tenants/${t}/apps/${a}`;
        this.#apps.set(key(tenant.id, app.appId), register(tenant.id, app, where, env));
      });
    });
  }

  find(tenantId: string, appId: string): RegisteredApp | undefined {
    return this.#apps.get(key(tenantId, appId));
  }
}

function key(tenantId: string, appId: string): string {
  return `${tenantId.toLowerCase()}/${appId.toLowerCase()}`;
}

function register(
  tenantId: string,
  app: AppConfig,
  where: string,
  env: NodeJS.ProcessEnv,
): RegisteredApp {
  return {
    tenantId,
    appId: app.appId,
    displayName: app.displayName,
    servicePrincipalId: app.servicePrincipalId,
    secrets: app.clientSecrets.map((source, i) =>
      readSecret(source, `${where}/clientSecrets/${i}`, env),
    ),
    certificates: app.certificates.map((source, i) => {
      const pem = readPem(source, `${where}/certificates/${i}`);
      let certificate: X509Certificate;
      try {
        certificate = new X509Certificate(pem);
      } catch (cause) {
        throw invalid(`${where}/certificates/${i}: not a PEM certificate`, cause);
      }
      return {
        publicKey: certificate.publicKey,
        x5t: Buffer.from(certificate.fingerprint.replaceAll(':', ''), 'hex').toString('base64url'),
        x5tS256: Buffer.from(certificate.fingerprint256.replaceAll(':', ''), 'hex').toString(
          'base64url',
        ),
      };
    }),
    federatedCredentials: app.federatedCredentials.map((federated, f) => ({
      issuer: federated.issuer,
      subject: federated.subject,
      audiences: federated.audiences,
      publicKeys: federated.publicKeys.map((source, k) => {
        const path = `${where}/federatedCredentials/${f}/publicKeys/${k}`;
        try {
          const pem = readPem(source, path);
          return pem.includes('CERTIFICATE')
            ? new X509Certificate(pem).publicKey
            : createPublicKey(pem);
        } catch (cause) {
          throw invalid(`${path}: not a PEM public key or certificate`, cause);
        }
      }),
    })),
    permissions: app.permissions,
  };
}

function readSecret(source: SecretSource, where: string, env: NodeJS.ProcessEnv): string {
  if ('value' in source) return source.value;
  if ('file' in source) return readText(source.file, where).replace(/\r?\n$/, '');
  const value = env[source.env];
  if (value !== undefined && value !== '') return value;
  if (source.localDefault !== undefined) return source.localDefault;
  throw invalid(`${where}: environment variable ${source.env} is not set`);
}

function readPem(source: PemSource, where: string): string {
  return 'pem' in source ? source.pem : readText(source.file, where);
}

function readText(path: string, where: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new TributaryError('CONFIG_UNREADABLE', `${where}: cannot read ${path}`, { cause });
  }
}

function invalid(message: string, cause?: unknown): TributaryError {
  return new TributaryError('CONFIG_INVALID', message, cause === undefined ? {} : { cause });
}
