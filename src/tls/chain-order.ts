import type { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { readX509, verifiedBy } from './ec-keys.js';
import type { ReadCertificate } from './read-certificates.js';

/** Signature algorithms whose RSA signatures node-forge verifies without extra parameters. */
const VERIFIABLE = new Set(
  ['sha1WithRSAEncryption', 'sha256WithRSAEncryption', 'sha384WithRSAEncryption', 'sha512WithRSAEncryption'].map(
    (name) => forge.pki.oids[name],
  ),
);

/** Node's view of a certificate: the one read with it (EC), else read now (an RSA one in a chain with EC). */
const x509Of = (c: ReadCertificate): X509Certificate | undefined => c.x509 ?? readX509(c.der);

/**
 * True when `parent` signed `child`: the names must chain, and the signature must verify where it can
 * be checked: by node-forge (RSA parent, RSA PKCS#1 signature), or by Node when either holds an EC key
 * (ECDSA signatures, and RSA ones across an EC link). Other pairs are linked by name only.
 */
export function signs(parent: ReadCertificate, child: ReadCertificate): boolean {
  const named = parent.subject === child.issuer || (parent.forge !== undefined && child.forge !== undefined && parent.forge.issued(child.forge));
  if (!named) return false;
  if (parent.forge && child.forge && VERIFIABLE.has(child.forge.signatureOid)) {
    try {
      return parent.forge.verify(child.forge);
    } catch {
      return false;
    }
  }
  if (parent.algorithm.family === 'EC' || child.algorithm.family === 'EC') {
    const [p, c] = [x509Of(parent), x509Of(child)];
    return p !== undefined && c !== undefined && verifiedBy(c, p);
  }
  return true;
}

/**
 * Builds the chain above `leaf` from `others`: each next certificate is one that signs the
 * previous. `unlinked` holds the certificates that could not be placed.
 */
export function orderChain(
  leaf: ReadCertificate,
  others: readonly ReadCertificate[],
): { chain: ReadCertificate[]; unlinked: ReadCertificate[] } {
  const remaining = [...others];
  const chain: ReadCertificate[] = [];
  let current = leaf;
  for (;;) {
    const i = remaining.findIndex((c) => signs(c, current));
    const next = remaining[i];
    if (i < 0 || next === undefined) break;
    remaining.splice(i, 1);
    chain.push(next);
    current = next;
  }
  return { chain, unlinked: remaining };
}
