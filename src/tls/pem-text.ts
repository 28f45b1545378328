import forge from 'node-forge';

/** One decoded PEM block: its label, binary body and (for legacy encrypted keys) its cipher. */
export interface PemBlock {
  type: string;
  /** DER bytes as a binary string, as node-forge uses them. */
  body: string;
  /** The `DEK-Info` cipher when the block has `Proc-Type: 4,ENCRYPTED`. */
  legacyCipher?: string;
  /** The block re-encoded by node-forge, headers included (what its legacy decryption reads). */
  armoured: string;
}

/** The PEM blocks in `text`, `[]` when there is no `-----BEGIN` line, `undefined` when malformed. */
export function pemBlocks(text: string): PemBlock[] | undefined {
  if (!text.includes('-----BEGIN ')) return [];
  try {
    return forge.pem.decode(text).map((m) => {
      const procType = m.procType as { type?: string } | null | undefined;
      const dekInfo = m.dekInfo as { algorithm?: string } | null | undefined;
      const block: PemBlock = { type: m.type, body: m.body, armoured: forge.pem.encode(m) };
      if (procType?.type === 'ENCRYPTED') block.legacyCipher = dekInfo?.algorithm ?? 'unknown';
      return block;
    });
  } catch {
    return undefined;
  }
}

/** Says what a text without PEM armour looks like, for a certificate or a key file. */
export function describeNonPem(text: string, what: 'certificate' | 'key'): string {
  const label = what === 'certificate' ? 'CERTIFICATE' : 'PRIVATE KEY';
  if (text.trim() === '') return 'the file is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text)) {
    const tool = what === 'certificate' ? 'openssl x509 -inform der -out cert.pem' : 'openssl pkey -inform der -out key.pem';
    return `it looks like binary DER, not PEM text; convert it (${tool})`;
  }
  if (/^[A-Za-z0-9+/]{16,}={0,2}$/.test(text.replace(/\r?\n/g, '').trim())) {
    return `it holds base64 without PEM armour; PEM needs the -----BEGIN ${label}----- and -----END ${label}----- lines`;
  }
  return `no -----BEGIN ${label}----- block found`;
}

/** Encodes DER bytes (binary string) as PEM with `\n` line ends and 64-character lines. */
export function toPem(type: string, der: string): string {
  const lines = Buffer.from(der, 'binary').toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}
