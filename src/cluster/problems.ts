/** A rejected input: which flag, the value given, and what was expected. */
export interface Problem {
  flag: string;
  value: string;
  expected: string;
}

/** Formats a problem as the one-line message users see: `--flag value: expected …`. */
export const describeProblem = (p: Problem): string =>
  p.value === '' ? `--${p.flag} ${p.expected}` : `--${p.flag} ${JSON.stringify(p.value).slice(1, -1)}: ${p.expected}`;
