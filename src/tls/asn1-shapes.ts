import forge from 'node-forge';

type Asn1 = forge.asn1.Asn1;

/** A public-key algorithm as found in a certificate or key: its family and a readable label. */
export interface KeyAlgorithm {
  family: 'RSA' | 'EC' | 'other';
  /** e.g. "RSA", "EC P-256", "Ed25519", "OID 1.2.3". */
  label: string;
}

const FAMILIES: Record<string, [KeyAlgorithm['family'], string]> = {
  '1.2.840.113549.1.1.1': ['RSA', 'RSA'],
  '1.2.840.10045.2.1': ['EC', 'EC'],
  '1.2.840.113549.1.1.10': ['other', 'RSA-PSS'],
  '1.3.101.112': ['other', 'Ed25519'],
  '1.3.101.113': ['other', 'Ed448'],
  '1.2.840.10040.4.1': ['other', 'DSA'],
};

const CURVES: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
  '1.3.132.0.10': 'secp256k1',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
  '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
};

/** The children of a constructed node (`[]` for a primitive or missing one). */
export const children = (node: Asn1 | undefined): Asn1[] => (node && Array.isArray(node.value) ? node.value : []);

/** Parses DER, or `undefined` when it is not exactly one well-formed value. */
export function parseDer(der: string): Asn1 | undefined {
  try {
    return forge.asn1.fromDer(der);
  } catch {
    return undefined;
  }
}

function oidOf(node: Asn1 | undefined): string | undefined {
  if (node?.type !== forge.asn1.Type.OID || typeof node.value !== 'string') return undefined;
  return forge.asn1.derToOid(node.value);
}

/** Names the curve of an EC key from the OID found in its parameters. */
export function ecAlgorithm(curveOid: string | undefined): KeyAlgorithm {
  const curve = curveOid === undefined ? undefined : (CURVES[curveOid] ?? `curve ${curveOid}`);
  return { family: 'EC', label: curve === undefined ? 'EC' : `EC ${curve}` };
}

/** Reads an AlgorithmIdentifier (`SEQUENCE { OID, parameters }`) as a key algorithm. */
export function algorithmOf(algorithmIdentifier: Asn1 | undefined): KeyAlgorithm | undefined {
  const [oidNode, params] = children(algorithmIdentifier);
  const oid = oidOf(oidNode);
  if (oid === undefined) return undefined;
  const known = FAMILIES[oid];
  if (known === undefined) return { family: 'other', label: `OID ${oid}` };
  return known[0] === 'EC' ? ecAlgorithm(oidOf(params)) : { family: known[0], label: known[1] };
}

/** The parts of an X.509 certificate needed to order a chain, read without node-forge's RSA-only parser. */
export interface CertificateShape {
  /** DER of the issuer and subject names, compared byte for byte. */
  issuer: string;
  subject: string;
  algorithm: KeyAlgorithm;
  /** The X.509 version, 1-based (3 for certificates with extensions). */
  version: number;
  /** The OID of the issuer's signature algorithm, e.g. `1.2.840.10045.4.3.2` (ecdsa-with-SHA256). */
  signatureOid?: string;
}

/** Reads a certificate's names and key algorithm, or `undefined` when it is not shaped like one. */
export function certificateShape(cert: Asn1): CertificateShape | undefined {
  const top = children(cert);
  if (top.length !== 3) return undefined;
  let fields = children(top[0]);
  let version = 1;
  if (fields[0]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC) {
    const v = children(fields[0])[0]?.value;
    version = typeof v === 'string' && v.length === 1 ? v.charCodeAt(0) + 1 : 0;
    fields = fields.slice(1);
  }
  const [serial, , issuer, validity, subject, spki] = fields;
  const SEQ = forge.asn1.Type.SEQUENCE;
  if (serial?.type !== forge.asn1.Type.INTEGER || validity?.type !== SEQ) return undefined;
  if (issuer?.type !== SEQ || subject?.type !== SEQ || spki?.type !== SEQ) return undefined;
  const algorithm = algorithmOf(children(spki)[0]);
  if (algorithm === undefined) return undefined;
  const der = (n: Asn1): string => forge.asn1.toDer(n).getBytes();
  const signatureOid = oidOf(children(top[1])[0]);
  return { issuer: der(issuer), subject: der(subject), algorithm, version, ...(signatureOid ? { signatureOid } : {}) };
}

/** The algorithm of a PKCS#8 PrivateKeyInfo (`SEQUENCE { version, algorithm, key }`). */
export function privateKeyInfoAlgorithm(info: Asn1): KeyAlgorithm | undefined {
  const fields = children(info);
  return fields.length >= 3 ? algorithmOf(fields[1]) : undefined;
}

/** The curve of a SEC 1 `EC PRIVATE KEY` (its `[0]` parameters), when present. */
export function sec1Algorithm(key: Asn1 | undefined): KeyAlgorithm {
  const params = children(key).find((c) => c.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && c.type === 0);
  return ecAlgorithm(oidOf(children(params)[0]));
}
