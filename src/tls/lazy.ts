/**
 * Everything that needs node-forge, in one module: the build bundles it apart (`dist/tls.cjs`), loaded
 * only by a create or update that reads certificate files or makes the cluster's DTLS certificate.
 */
export { checkCertificatePair } from './check-certificate-pair.js';
export { describeFinding, isError } from './certificate-findings.js';
export { dtlsCertificate } from './dtls.js';
