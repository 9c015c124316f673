import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

export interface AadError {
  status: 400 | 401 | 503;
  error: string;
  code: number;
  message: string;
}

/** The error JSON of the Entra token endpoint, which MSAL parses into its own error types. */
export function sendAadError(res: Response, failure: AadError, correlationId: string | undefined) {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
  res.status(failure.status).json({
    error: failure.error,
    error_description:
      `AADSTS${failure.code}: ${failure.message} Trace ID: ${traceId} ` +
      `Correlation ID: ${correlation} Timestamp: ${timestamp}`,
    error_codes: [failure.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
  });
}

export const aad = {
  tenantNotFound: (tenant: string): AadError => ({
    status: 400,
    error: 'invalid_request',
    code: 90002,
    message: `Tenant '${tenant}' not found.`,
  }),
  unsupportedGrant: (grant: string): AadError => ({
    status: 400,
    error: 'unsupported_grant_type',
    code: 70003,
    message: `The app requested an unsupported grant type '${grant}'.`,
  }),
  missingParameter: (name: string): AadError => ({
    status: 400,
    error: 'invalid_request',
    code: 900144,
    message: `The request body must contain the following parameter: '${name}'.`,
  }),
  appNotFound: (appId: string, tenant: string): AadError => ({
    status: 400,
    error: 'unauthorized_client',
    code: 700016,
    message: `Application with identifier '${appId}' was not found in the directory '${tenant}'.`,
  }),
  invalidScope: (scope: string): AadError => ({
    status: 400,
    error: 'invalid_scope',
    code: 1002012,
    message: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`,
  }),
  unknownResource: (resource: string): AadError => ({
    status: 400,
    error: 'invalid_resource',
    code: 500011,
    message: `The resource principal named ${resource} was not found in the tenant.`,
  }),
  noCredential: (): AadError => ({
    status: 401,
    error: 'invalid_client',
    code: 7000218,
    message:
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  }),
  badSecret: (appId: string): AadError => ({
    status: 401,
    error: 'invalid_client',
    code: 7000215,
    message: `Invalid client secret provided for app '${appId}'.`,
  }),
  malformedAssertion: (): AadError => ({
    status: 400,
    error: 'invalid_request',
    code: 50027,
    message: 'JWT token is invalid or malformed.',
  }),
  unknownCertificate: (): AadError => ({
    status: 401,
    error: 'invalid_client',
    code: 700027,
    message:
      'The certificate used to sign the client assertion is not registered on the application.',
  }),
  badAssertionSignature: (): AadError => ({
    status: 401,
    error: 'invalid_client',
    code: 700027,
    message: 'Client assertion failed signature validation.',
  }),
  assertionAudience: (): AadError => ({
    status: 400,
    error: 'invalid_client',
    code: 700021,
    message: 'Client assertion audience claim does not match the token endpoint.',
  }),
  assertionExpired: (): AadError => ({
    status: 400,
    error: 'invalid_client',
    code: 700024,
    message: 'Client assertion is not within its valid time range.',
  }),
  noFederatedMatch: (): AadError => ({
    status: 400,
    error: 'invalid_request',
    code: 70021,
    message: 'No matching federated identity record found for presented assertion.',
  }),
  federatedAudience: (): AadError => ({
    status: 400,
    error: 'invalid_request',
    code: 700212,
    message: 'No matching federated identity record found for presented assertion audience.',
  }),
  federatedSignature: (): AadError => ({
    status: 401,
    error: 'invalid_client',
    code: 700213,
    message: 'The presented assertion failed signature validation against the keys of its issuer.',
  }),
  unavailable: (): AadError => ({
    status: 503,
    error: 'temporarily_unavailable',
    code: 90033,
    message: 'A transient error has occurred. Please try again.',
  }),
};
