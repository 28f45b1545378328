import forge from 'node-forge';
import type { ReadCertificate } from './read-certificates.js';

/** Signature algorithms whose RSA signatures node-forge verifies without extra parameters. */
const VERIFIABLE = new Set(
  ['sha1WithRSAEncryption', 'sha256WithRSAEncryption', 'sha384WithRSAEncryption', 'sha512WithRSAEncryption'].map(
    (name) => forge.pki.oids[name],
  ),
);

/**
 * True when `parent` signed `child`: the names must chain, and when node-forge can check the
 * signature (RSA parent, RSA PKCS#1 signature) it must verify. Other pairs are linked by name only.
 */
export function signs(parent: ReadCertificate, child: ReadCertificate): boolean {
  const named = parent.subject === child.issuer || (parent.forge !== undefined && child.forge !== undefined && parent.forge.issued(child.forge));
  if (!named) return false;
  if (!parent.forge || !child.forge || !VERIFIABLE.has(child.forge.signatureOid)) return true;
  try {
    return parent.forge.verify(child.forge);
  } catch {
    return false;
  }
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
