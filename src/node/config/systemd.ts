/**
 * systemd unit files from typed objects. A command line is a list of words; each word is checked to
 * need no quoting, and `%` (a specifier to systemd) is doubled.
 */
export interface ServiceUnit {
  name: string;
  description: string;
  after?: readonly string[];
  requires?: readonly string[];
  wants?: readonly string[];
  execStartPre?: readonly (readonly string[])[];
  execStart: readonly string[];
  execStop?: readonly string[];
  /** Read by systemd itself, not by the program: only non-secret settings. */
  environment?: Readonly<Record<string, string>>;
  /** `oneshot`: a task a timer starts (not restarted, not enabled at boot by itself). */
  type?: 'simple' | 'oneshot';
  /** Said explicitly where the service's children must stop with it (systemd's default). */
  killMode?: 'control-group';
}

/** A timer that starts the service of the same name. */
export interface TimerUnit {
  name: string;
  description: string;
  /** systemd calendar expression, e.g. `hourly`. */
  onCalendar: string;
  randomizedDelaySec: number;
}

const WORD = /^[^\s"'\\;]+$/;

function word(w: string): string {
  if (!WORD.test(w)) throw new Error(`unit word ${JSON.stringify(w)} would need quoting`);
  return w.replace(/%/g, '%%');
}

/** `-` before a command means systemd ignores its failure. */
const command = (words: readonly string[]) => words.map((w, i) => (i === 0 && w.startsWith('-') ? `-${word(w.slice(1))}` : word(w))).join(' ');

/**
 * The unit's text. Every service restarts on any exit, 5 s apart, and never reaches systemd's start
 * limit (StartLimitIntervalSec=0): a node keeps trying rather than leaving a piece stopped.
 */
export function unitText(u: ServiceUnit): string {
  const lines = ['[Unit]', `Description=${u.description}`];
  if (u.after?.length) lines.push(`After=${u.after.join(' ')}`);
  if (u.requires?.length) lines.push(`Requires=${u.requires.join(' ')}`);
  if (u.wants?.length) lines.push(`Wants=${u.wants.join(' ')}`);
  if (u.type === 'oneshot') lines.push('', '[Service]', 'Type=oneshot');
  else lines.push('StartLimitIntervalSec=0', '', '[Service]', 'Type=simple', 'Restart=always', 'RestartSec=5');
  for (const [k, v] of Object.entries(u.environment ?? {})) lines.push(`Environment=${word(`${k}=${v}`)}`);
  for (const pre of u.execStartPre ?? []) lines.push(`ExecStartPre=${command(pre)}`);
  lines.push(`ExecStart=${command(u.execStart)}`);
  if (u.execStop) lines.push(`ExecStop=${command(u.execStop)}`);
  if (u.killMode) lines.push(`KillMode=${u.killMode}`);
  if (u.type !== 'oneshot') lines.push('', '[Install]', 'WantedBy=multi-user.target');
  return `${lines.join('\n')}\n`;
}

/** The timer's text: persistent, so a run missed while the node was off happens at boot. */
export const timerText = (t: TimerUnit): string =>
  ['[Unit]', `Description=${t.description}`, '', '[Timer]', `OnCalendar=${t.onCalendar}`, `RandomizedDelaySec=${t.randomizedDelaySec}`, 'Persistent=true', '', '[Install]', 'WantedBy=timers.target', ''].join('\n');
