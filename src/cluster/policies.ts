import { type Parsed, fail, ok } from './parse.js';
import type { Problem } from './problems.js';

/** One step of a scaling policy: at `threshold` percent of load, change capacity by `percent` percent. */
export interface PolicyStep {
  threshold: number;
  percent: number;
}

const NUMBER = /^\d+(?:\.\d+)?$/;

/**
 * Parses `--scale-out-policy` / `--scale-in-policy` (`L=P[,L=P…]`): thresholds 0-100 and percentages
 * 1-1000 (scale-in at most 100), as numbers (the 2016 tool sorted them as strings); sorted by threshold.
 */
export function parsePolicy(flag: 'scale-out-policy' | 'scale-in-policy', raw: string): Parsed<PolicyStep[]> {
  const expected = 'expected load=percent pairs separated by commas, e.g. 75=10,90=30 (load 0-100, percent of capacity)';
  const maxPercent = flag === 'scale-in-policy' ? 100 : 1000;
  const steps: PolicyStep[] = [];
  for (const pair of raw.split(',')) {
    const m = /^\s*([^=\s]+)\s*=\s*([^=\s]+)\s*$/.exec(pair);
    if (!m?.[1] || !m[2] || !NUMBER.test(m[1]) || !NUMBER.test(m[2])) return fail(flag, raw, expected);
    const threshold = Number(m[1]);
    const percent = Number(m[2]);
    if (threshold > 100) return fail(flag, pair.trim(), 'has a load above 100; load is a percentage of the nodes’ capacity');
    if (percent < 1 || percent > maxPercent || !Number.isInteger(percent)) {
      return fail(flag, pair.trim(), `has a capacity change outside 1-${maxPercent}; it is a whole percentage of the current nodes`);
    }
    if (steps.some((s) => s.threshold === threshold)) return fail(flag, raw, `gives load ${threshold} twice`);
    steps.push({ threshold, percent });
  }
  return ok(steps.sort((a, b) => a.threshold - b.threshold));
}

/** Every scale-in threshold must lie below every scale-out threshold, or the alarms would fight. */
export function checkPolicies(scaleOut: readonly PolicyStep[], scaleIn: readonly PolicyStep[]): Problem[] {
  const lowestOut = scaleOut[0]?.threshold;
  const highestIn = scaleIn.at(-1)?.threshold;
  if (lowestOut === undefined || highestIn === undefined || highestIn < lowestOut) return [];
  return [{ flag: 'scale-in-policy', value: String(highestIn), expected: `is not below the lowest --scale-out-policy load ${lowestOut}: every scale-in load must be lower than every scale-out load` }];
}

/** A CloudFormation step adjustment, bounds relative to the alarm threshold. */
export interface StepAdjustment {
  MetricIntervalLowerBound?: number;
  MetricIntervalUpperBound?: number;
  ScalingAdjustment: number;
}

/**
 * The scale-out alarm threshold and steps: the alarm fires at the lowest load; each step covers the
 * loads from its threshold up to the next one (the last one, everything above).
 */
export function scaleOutSteps(steps: readonly PolicyStep[]): { threshold: number; adjustments: StepAdjustment[] } {
  const base = steps[0]?.threshold ?? 0;
  return {
    threshold: base,
    adjustments: steps.map((s, i) => {
      const next = steps[i + 1];
      return {
        MetricIntervalLowerBound: round(s.threshold - base),
        ...(next ? { MetricIntervalUpperBound: round(next.threshold - base) } : {}),
        ScalingAdjustment: s.percent,
      };
    }),
  };
}

/**
 * The scale-in alarm threshold and steps: the alarm fires below the highest load; each step covers the
 * loads from its threshold down to the next lower one (the lowest, everything below).
 */
export function scaleInSteps(steps: readonly PolicyStep[]): { threshold: number; adjustments: StepAdjustment[] } {
  const top = steps.at(-1)?.threshold ?? 0;
  return {
    threshold: top,
    adjustments: steps.map((s, i) => {
      const lower = steps[i - 1];
      return {
        ...(lower ? { MetricIntervalLowerBound: round(lower.threshold - top) } : {}),
        MetricIntervalUpperBound: round(s.threshold - top),
        ScalingAdjustment: -s.percent,
      };
    }),
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
