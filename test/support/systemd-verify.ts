/**
 * `systemd-analyze verify` on unit files, as systemd would load them on a node: a stand-in for the
 * program their command lines name and this machine lacks (the node's /opt/elasticrtc/bin/node), in
 * a private mount namespace (`unshare`, root), so the machine's own /opt never changes.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface VerifyOptions {
  /** Units enabled as `[Install] WantedBy=` would (`multi-user.target` → unit names): links in `<target>.wants/`. */
  wants?: Record<string, string[]>;
  /** What to verify (unit names, e.g. `multi-user.target`: its whole start transaction); default: every unit given. */
  verify?: string[];
}

/** Puts `units` (file name → text) on systemd's unit path, ahead of the machine's, and verifies; `output` is empty when systemd has nothing to say. */
export function verifyUnitTexts(units: Record<string, string>, options: VerifyOptions = {}): { status: number | null; output: string } {
  const scratch = mkdtempSync(join(tmpdir(), 'verify-units-'));
  try {
    for (const d of ['units', 'opt-upper/elasticrtc/bin', 'opt-work']) mkdirSync(join(scratch, d), { recursive: true });
    const node = join(scratch, 'opt-upper', 'elasticrtc', 'bin', 'node');
    writeFileSync(node, '#!/bin/sh\n');
    chmodSync(node, 0o755);
    for (const [name, text] of Object.entries(units)) writeFileSync(join(scratch, 'units', name), text);
    for (const [target, names] of Object.entries(options.wants ?? {})) {
      mkdirSync(join(scratch, 'units', `${target}.wants`));
      for (const name of names) symlinkSync(`../${name}`, join(scratch, 'units', `${target}.wants`, name));
    }
    const verify = options.verify ?? Object.keys(units).map((name) => join(scratch, 'units', name));
    const script = `mount -t overlay overlay -o lowerdir=/opt,upperdir=${scratch}/opt-upper,workdir=${scratch}/opt-work /opt && SYSTEMD_UNIT_PATH=${scratch}/units: systemd-analyze verify ${verify.join(' ')}`;
    const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8' });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
