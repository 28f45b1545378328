import { spawn, type IPty } from 'node-pty';
import { BIN } from './cli.js';

/** The built binary in a pseudo-terminal, as a person at a terminal runs it. */
export class TerminalSession {
  private readonly pty: IPty;
  screen = '';
  readonly exited: Promise<{ exitCode: number; signal?: number }>;

  constructor(args: string[], env: Record<string, string>) {
    this.pty = spawn(process.execPath, [BIN, ...args], { name: 'xterm-256color', cols: 120, rows: 40, env: { TERM: 'xterm-256color', ...env } });
    this.pty.onData((d) => {
      this.screen += d;
    });
    this.exited = new Promise((resolve) => this.pty.onExit(resolve));
  }

  /** Resolves once the screen shows `text` (escape sequences removed), or fails after `limitMs`. */
  async waitFor(text: string | RegExp, limitMs = 20_000): Promise<void> {
    const started = Date.now();
    for (;;) {
      const plain = this.plain();
      if (typeof text === 'string' ? plain.includes(text) : text.test(plain)) return;
      if (Date.now() - started > limitMs) throw new Error(`the terminal never showed ${String(text)}; it shows:\n${plain.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  type(keys: string): void {
    this.pty.write(keys);
  }

  /** The screen without colour and cursor escape sequences. */
  plain(): string {
    // eslint-disable-next-line no-control-regex
    return this.screen.replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g, '').replace(/\r/g, '');
  }

  kill(): void {
    try {
      this.pty.kill();
    } catch {
      // already gone
    }
  }
}

export const KEYS = { ctrlC: '\u0003', enter: '\r', down: '\u001b[B' } as const;
