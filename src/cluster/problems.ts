/** A rejected input: which flag, the value given, and what was expected. */
export interface Problem {
  flag: string;
  value: string;
  expected: string;
}

/** Formats a problem as the one-line message users see: `--flag value: expected …`. */
export const describeProblem = (p: Problem): string => {
  // A key inside a config file's structure (`streams[1].url`) has no flag: it is named as is.
  const name = /[[.]/.test(p.flag) ? p.flag : `--${p.flag}`;
  return p.value === '' ? `${name} ${p.expected}` : `${name} ${JSON.stringify(p.value).slice(1, -1)}: ${p.expected}`;
};
