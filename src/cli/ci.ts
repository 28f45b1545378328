/** True when `CI` is set to anything but `false` or `0` (how CI services announce themselves). */
export const isCi = (env: Readonly<Record<string, string | undefined>>): boolean =>
  env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
