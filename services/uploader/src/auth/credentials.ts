import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import type { Secret } from '@tributary/config';

export type CredentialConfig =
  | { kind: 'clientSecret'; clientId: string; secret: Secret }
  | {
      kind: 'clientCertificate';
      clientId: string;
      certificatePath: string;
      sendCertificateChain?: boolean;
    }
  /** Kubernetes workload identity: a projected service-account token federated with the app. */
  | { kind: 'workloadIdentity'; clientId: string; tokenFilePath: string }
  | { kind: 'managedIdentity'; clientId?: string };

export interface CredentialContext {
  tenantId: string;
  /** `https://login.microsoftonline.com`, a national cloud's, or the emulator's. */
  authorityHost: string;
  /** A private certificate authority (PEM) to trust for token requests. */
  ca?: string;
}

/** Builds the `@azure/identity` credential a tenant's configuration names. */
export function createCredential(
  config: CredentialConfig,
  context: CredentialContext,
): TokenCredential {
  const common = {
    authorityHost: context.authorityHost,
    ...(context.ca ? { tlsOptions: { ca: context.ca } } : {}),
    // Instance discovery asks login.microsoftonline.com about the authority, which a national
    // cloud's or a private authority host does not need and an isolated network cannot reach.
    disableInstanceDiscovery: !context.authorityHost.startsWith(
      'https://login.microsoftonline.com',
    ),
  };
  switch (config.kind) {
    case 'clientSecret':
      return new ClientSecretCredential(
        context.tenantId,
        config.clientId,
        config.secret.reveal(),
        common,
      );
    case 'clientCertificate':
      return new ClientCertificateCredential(
        context.tenantId,
        config.clientId,
        { certificatePath: config.certificatePath },
        { ...common, sendCertificateChain: config.sendCertificateChain ?? false },
      );
    case 'workloadIdentity':
      return new WorkloadIdentityCredential({
        ...common,
        tenantId: context.tenantId,
        clientId: config.clientId,
        tokenFilePath: config.tokenFilePath,
      });
    case 'managedIdentity':
      // The platform's identity endpoint answers for the authority; only the client id matters.
      return new ManagedIdentityCredential({
        ...(config.clientId ? { clientId: config.clientId } : {}),
        ...(context.ca ? { tlsOptions: { ca: context.ca } } : {}),
      });
  }
}
