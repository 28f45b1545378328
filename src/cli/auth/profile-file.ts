/**
 * Pure reading and edits of the shared AWS files (`~/.aws/credentials`, `~/.aws/config`, INI). Only the lines of the
 * profile being saved change; every other section, comment, blank line and line ending stays as it was.
 */

/** Keys saved in a profile. A profile saved without `sessionToken` loses any stale one. */
export interface ProfileKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

const PROFILE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Whether `name` is usable as a profile name: letters, digits, `-`, `_` and `.` (at most 64). */
export function isProfileName(name: string): boolean {
  return PROFILE_NAME.test(name);
}

/** Why `name` is not a valid profile name, for a prompt's validation; `true` when it is. */
export function checkProfileName(name: string): true | string {
  if (name === '') return 'profile name: it cannot be empty';
  return isProfileName(name) ? true : `profile name ${JSON.stringify(name)}: use only letters, digits, "-", "_" and "." (at most 64)`;
}

interface Line {
  /** The line without its ending. */
  body: string;
  /** `\n`, `\r\n`, or `` for a last line without one. */
  eol: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const re = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  for (let m = re.exec(text); m && m.index < text.length; m = re.exec(text)) {
    lines.push({ body: m[1] ?? '', eol: m[2] ?? '' });
    if (m[2] === '') break;
  }
  return lines;
}

/** The section a header line opens (`[name]`, optional trailing comment), else undefined. */
function sectionName(body: string): string | undefined {
  return /^\s*\[\s*([^\]]*?)\s*\]\s*(?:[#;].*)?$/.exec(body)?.[1];
}

/** The key of a `key = value` line, lowercased, else undefined. */
function keyOf(body: string): string | undefined {
  return /^\s*([A-Za-z0-9_.-]+)\s*=/.exec(body)?.[1]?.toLowerCase();
}

/** The `[name]` sections of the file, in order. */
function sections(lines: readonly Line[]): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  lines.forEach((line, i) => {
    const name = sectionName(line.body);
    if (name === undefined) return;
    const last = out[out.length - 1];
    if (last) last.end = i;
    out.push({ name, start: i, end: lines.length });
  });
  return out;
}

/** Whether the credentials file text has a `[name]` section. */
export function hasProfile(text: string, name: string): boolean {
  return sections(splitLines(text)).some((s) => s.name === name);
}

/** The `aws_access_key_id` of profile `name` in the credentials file text (the last one wins, as in the SDKs). */
export function profileKeyId(text: string, name: string): string | undefined {
  const lines = splitLines(text);
  let found: string | undefined;
  for (const s of sections(lines).filter((x) => x.name === name)) {
    for (const line of lines.slice(s.start + 1, s.end)) {
      if (keyOf(line.body) === 'aws_access_key_id') found = line.body.slice(line.body.indexOf('=') + 1).trim();
    }
  }
  return found;
}

const MANAGED = new Set(['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token']);

/**
 * Adds profile `name` with `keys`, or replaces its keys in place, and drops a stale `aws_session_token`
 * there. Other keys of that profile (`region`…) and everything outside it are kept byte for byte.
 */
export function upsertProfile(text: string, name: string, keys: ProfileKeys): string {
  if (!isProfileName(name)) throw new Error(`profile name ${JSON.stringify(name)}: use only letters, digits, "-", "_" and "."`);
  const values: [string, string][] = [
    ['aws_access_key_id', keys.accessKeyId],
    ['aws_secret_access_key', keys.secretAccessKey],
    ...(keys.sessionToken !== undefined ? [['aws_session_token', keys.sessionToken] as [string, string]] : []),
  ];
  for (const [key, value] of values) {
    if (value === '' || /[\s\0]/.test(value)) throw new Error(`${key}: the value is empty or has white space`);
  }
  const lines = splitLines(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const mine = sections(lines).filter((s) => s.name === name);
  const first = mine[0];
  if (!first) {
    // One blank line before the new section, finishing an unterminated last line first.
    const last = lines[lines.length - 1];
    const sep = !last || (last.body.trim() === '' && last.eol !== '') ? '' : last.eol === '' ? eol + eol : eol;
    return `${text}${sep}[${name}]${eol}${values.map(([k, v]) => `${k} = ${v}${eol}`).join('')}`;
  }
  const pending = new Map(values);
  const out: Line[] = [];
  lines.forEach((line, i) => {
    const inMine = mine.some((s) => i > s.start && i < s.end);
    const key = inMine ? keyOf(line.body) : undefined;
    if (key === undefined || !MANAGED.has(key)) {
      out.push(line);
    } else if (i < first.end && pending.has(key)) {
      // Replaced where it stands, keeping its line ending.
      out.push({ body: `${key} = ${pending.get(key) ?? ''}`, eol: line.eol });
      pending.delete(key);
    }
    // Anything else managed in this profile is dropped: a stale session token, or a repeat of a key.
  });
  const header = out.findIndex((l) => l === lines[first.start]);
  const added = [...pending].map(([k, v]): Line => ({ body: `${k} = ${v}`, eol }));
  out.splice(header + 1, 0, ...added);
  // Only the file's last line can lack an ending; once something follows it, it gets one.
  return out.map((l, i) => `${l.body}${l.eol === '' && i < out.length - 1 ? eol : l.eol}`).join('');
}

/** Keys that give a profile credentials (or a way to get them), as the SDK reads the shared files. */
const CREDENTIAL_KEYS = /^\s*(aws_access_key_id|aws_secret_access_key|sso_session|sso_start_url|role_arn|credential_process|web_identity_token_file|credential_source)\s*=/;

/** Whether an INI text has a section among `sections` holding a credential key. */
export function hasCredentialSection(text: string, sections: readonly string[]): boolean {
  let inside = false;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[\s*([^\]]*?)\s*\]/.exec(line);
    if (header) inside = sections.includes((header[1] ?? '').replace(/\s+/g, ' '));
    else if (inside && CREDENTIAL_KEYS.test(line)) return true;
  }
  return false;
}

/** Whether the config file's section of profile `name` signs in with IAM Identity Center (`sso_session` or `sso_start_url`). */
export function isSsoSection(text: string, name: string): boolean {
  let inProfile = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      const header = (section[1] ?? '').replace(/\s+/g, ' ');
      inProfile = header === `profile ${name}` || (name === 'default' && header === 'default');
      continue;
    }
    if (inProfile && /^sso_(session|start_url)\s*=/.test(line)) return true;
  }
  return false;
}
