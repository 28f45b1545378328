import type { CliContext } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { warn } from '../cli/output.js';
import type { Tls } from '../cluster/settings.js';
import type { CertificateInfo } from '../tls/check-certificate-pair.js';

async function readPem(flag: string, file: string): Promise<string> {
  try {
    const { readFile } = await import('node:fs/promises');
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError('UnreadableFile', `--${flag} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : 'cannot be read'}`);
  }
}

/**
 * Reads and checks `--ssl-cert`/`--ssl-key` before anything is created: every problem at once (exit 2),
 * warnings on stderr. An encrypted key is decrypted with a passphrase asked at the terminal, when
 * someone can answer. The key's text never reaches a message.
 */
export async function readCertificateFiles(ctx: CliContext, tls: Extract<Tls, { kind: 'files' }>): Promise<CertificateInfo> {
  const cert = await readPem('ssl-cert', tls.certFile);
  const key = await readPem('ssl-key', tls.keyFile);
  const { checkCertificatePair, describeFinding, isError } = await import('../tls/lazy.js');
  const now = new Date(ctx.clock.now());
  let check = checkCertificatePair(cert, key, now);
  if (check.findings.some((f) => f.kind === 'EncryptedKey') && ctx.io.canPrompt) {
    const passphrase = await ctx.prompter.password(`Passphrase of ${tls.keyFile}:`);
    check = checkCertificatePair(cert, key, now, passphrase);
  }
  const files = { cert: tls.certFile, key: tls.keyFile };
  const errors = check.findings.filter(isError);
  for (const f of check.findings.filter((x) => !isError(x))) warn(ctx.io, describeFinding(f, files));
  if (errors.length > 0 || !check.info) {
    const lines = errors.map((f) => describeFinding(f, files));
    throw new UsageError('InvalidCertificate', lines.length === 1 ? (lines[0] ?? '') : `${lines.length} problems with the certificate:\n  ${lines.join('\n  ')}`, 'give a PEM certificate (with its chain) valid today and its unencrypted private key, or --certificate-arn');
  }
  return check.info;
}
