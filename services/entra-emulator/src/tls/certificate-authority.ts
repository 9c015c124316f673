import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface TlsMaterial {
  caCertPem: string;
  caKeyPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

const validityDays = 825;

/**
 * A private certificate authority and a server certificate for 127.0.0.1 and localhost. Keys come
 * from node:crypto (native, fast); node-forge only assembles and signs the X.509 structures, which
 * Node cannot do by itself.
 */
export function createTlsMaterial(existingCa?: { certPem: string; keyPem: string }): TlsMaterial {
  const ca = existingCa ?? createCertificateAuthority();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);

  const serverKeys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(serverKeys.publicKeyPem);
  cert.serialNumber = serialNumber();
  setValidity(cert);
  cert.setSubject([{ name: 'commonName', value: 'Entra emulator' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());

  return {
    caCertPem: ca.certPem,
    caKeyPem: ca.keyPem,
    serverCertPem: forge.pki.certificateToPem(cert),
    serverKeyPem: serverKeys.privateKeyPem,
  };
}

function createCertificateAuthority(): { certPem: string; keyPem: string } {
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serialNumber();
  setValidity(cert);
  const subject = [
    { name: 'commonName', value: 'Tributary Entra emulator local CA' },
    { name: 'organizationName', value: 'Tributary (local testing only)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

function rsaKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    // PKCS#1, the one private key encoding node-forge reads without a detour.
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}

function serialNumber(): string {
  // A positive 16-byte serial: the top bit is cleared so DER does not read it as negative.
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function setValidity(cert: forge.pki.Certificate): void {
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + validityDays * 86_400_000);
}
