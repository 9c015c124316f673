import { timingSafeEqual } from 'node:crypto';
import { aad, type AadError } from './aadsts-error.ts';
import type { CredentialRegistry, RegisteredApp } from './credential-registry.ts';
import { decodeJwt, verifySignature, type DecodedJwt } from './jwt.ts';
import { graphAppId, graphAudience } from './token-issuer.ts';

export const jwtBearerAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type ClientAuthentication =
  | { ok: true; app: RegisteredApp; method: 'secret' | 'certificate' | 'federated' }
  | { ok: false; failure: AadError };

/** Seconds of clock skew tolerated on assertion times. */
const skewSeconds = 300;

/**
 * The client-credentials grant as Entra checks it: the app must exist in the tenant, ask for the
 * Graph `.default` scope, and prove itself with a client secret, an assertion signed by one of
 * its certificates, or an assertion from a trusted federated issuer (workload identity).
 */
export function authenticateClient(
  form: Record<string, string | undefined>,
  tenantId: string,
  tokenEndpoint: string,
  registry: CredentialRegistry,
): ClientAuthentication {
  const fail = (failure: AadError): ClientAuthentication => ({ ok: false, failure });

  const grant = form.grant_type;
  if (!grant) return fail(aad.missingParameter('grant_type'));
  if (grant !== 'client_credentials') return fail(aad.unsupportedGrant(grant));
  const clientId = form.client_id;
  if (!clientId) return fail(aad.missingParameter('client_id'));
  const app = registry.find(tenantId, clientId);
  if (!app) return fail(aad.appNotFound(clientId, tenantId));

  const scopeFailure = checkScope(form.scope);
  if (scopeFailure) return fail(scopeFailure);

  if (form.client_secret !== undefined) {
    return app.secrets.some((secret) => sameText(secret, form.client_secret!))
      ? { ok: true, app, method: 'secret' }
      : fail(aad.badSecret(clientId));
  }
  if (form.client_assertion === undefined) return fail(aad.noCredential());
  if (form.client_assertion_type !== jwtBearerAssertionType) {
    return fail(aad.missingParameter('client_assertion_type'));
  }

  const jwt = decodeJwt(form.client_assertion);
  if (!jwt) return fail(aad.malformedAssertion());
  const { iss, sub } = jwt.claims;
  if (iss === clientId && sub === clientId) {
    const failure = checkCertificateAssertion(jwt, app, tokenEndpoint);
    return failure ? fail(failure) : { ok: true, app, method: 'certificate' };
  }
  const failure = checkFederatedAssertion(jwt, app);
  return failure ? fail(failure) : { ok: true, app, method: 'federated' };
}

function checkScope(scope: string | undefined): AadError | undefined {
  if (!scope) return aad.missingParameter('scope');
  const scopes = scope
    .split(' ')
    .filter((s) => s !== '' && s !== 'openid' && s !== 'profile' && s !== 'offline_access');
  if (scopes.length !== 1 || !scopes[0]!.endsWith('/.default')) return aad.invalidScope(scope);
  const resource = scopes[0]!.slice(0, -'/.default'.length).replace(/\/$/, '');
  if (resource !== graphAudience && resource !== graphAppId) return aad.unknownResource(resource);
  return undefined;
}

function checkCertificateAssertion(
  jwt: DecodedJwt,
  app: RegisteredApp,
  tokenEndpoint: string,
): AadError | undefined {
  const s256 = jwt.header['x5t#S256'];
  const sha1 = jwt.header.x5t;
  const certificate = app.certificates.find(
    (cert) =>
      (s256 !== undefined && cert.x5tS256 === s256) || (sha1 !== undefined && cert.x5t === sha1),
  );
  if (!certificate) return aad.unknownCertificate();
  if (!verifySignature(jwt, certificate.publicKey)) return aad.badAssertionSignature();
  const audiences = audienceList(jwt.claims.aud);
  if (!audiences.some((aud) => aud.replace(/\/$/, '') === tokenEndpoint))
    return aad.assertionAudience();
  return checkTimes(jwt);
}

function checkFederatedAssertion(jwt: DecodedJwt, app: RegisteredApp): AadError | undefined {
  const { iss, sub } = jwt.claims;
  const candidates = app.federatedCredentials.filter((f) => f.issuer === iss && f.subject === sub);
  if (candidates.length === 0) return aad.noFederatedMatch();
  const audiences = audienceList(jwt.claims.aud);
  const matching = candidates.filter((f) => f.audiences.some((aud) => audiences.includes(aud)));
  if (matching.length === 0) return aad.federatedAudience();
  const signed = matching.some((f) => f.publicKeys.some((key) => verifySignature(jwt, key)));
  if (!signed) return aad.federatedSignature();
  return checkTimes(jwt);
}

function checkTimes(jwt: DecodedJwt): AadError | undefined {
  const now = Date.now() / 1000;
  const { exp, nbf } = jwt.claims;
  if (typeof exp !== 'number' || exp + skewSeconds < now) return aad.assertionExpired();
  if (typeof nbf === 'number' && nbf - skewSeconds > now) return aad.assertionExpired();
  return undefined;
}

function audienceList(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

function sameText(expected: string, actual: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}
