import { describe, expect, it } from 'vitest';
import { AwsFailure } from '../../src/aws/errors.js';
import { CliError, ExitCode, UsageError } from '../../src/cli/errors.js';
import { formatTable } from '../../src/cli/output.js';
import { reportError, scrub } from '../../src/cli/report-error.js';
import { maskSecret } from '../../src/cli/auth/session.js';
import { testContext } from '../support/context.js';

describe('formatTable', () => {
  const rows = [['demo', 'CREATE_COMPLETE'], ['a-much-longer-name', 'x']];
  it('pads columns on a terminal', () => {
    expect(formatTable(['NAME', 'STATUS'], rows, true)).toBe('NAME                STATUS\ndemo                CREATE_COMPLETE\na-much-longer-name  x');
  });
  it('uses tabs and no padding elsewhere', () => {
    expect(formatTable(['NAME', 'STATUS'], rows, false)).toBe('NAME\tSTATUS\ndemo\tCREATE_COMPLETE\na-much-longer-name\tx');
  });
});

describe('reportError', () => {
  it('prints one JSON object on stdout with -o json, and the message on stderr', () => {
    const t = testContext();
    const code = reportError(t.ctx.io, 'json', new UsageError('InvalidX', '--x 5: bad', 'try --y'), false);
    expect(code).toBe(ExitCode.Usage);
    expect(JSON.parse(t.out())).toEqual({ error: { code: 'InvalidX', message: '--x 5: bad', hint: 'try --y', exitCode: 2 } });
    expect(t.err()).toBe('error: --x 5: bad\nhint: try --y\n');
  });

  it('maps AWS failures: credentials and access to 4, others to 1', () => {
    const t = testContext();
    expect(reportError(t.ctx.io, 'text', new AwsFailure('credentials', 'CredentialsProviderError', 'Could not load credentials from any providers', 'sts:GetCallerIdentity'), false)).toBe(4);
    expect(t.err()).toContain('AWS_ACCESS_KEY_ID');
    expect(reportError(t.ctx.io, 'text', new AwsFailure('access-denied', 'AccessDenied', 'no', 'cloudformation:CreateStack'), false)).toBe(4);
    expect(reportError(t.ctx.io, 'text', new AwsFailure('transient', 'InternalFailure', 'boom', 'cloudformation:ListStacks'), false)).toBe(1);
  });

  it('shows a stack trace only with --debug, scrubbed of secrets', () => {
    const t = testContext();
    reportError(t.ctx.io, 'text', new Error('boom wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), false);
    expect(t.err()).not.toContain('at ');
    const d = testContext();
    reportError(d.ctx.io, 'text', new CliError('X', 'x', undefined, { cause: new Error('inner wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY') }), true);
    expect(d.err()).toContain('caused by');
    expect(d.err()).not.toContain('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  });
});

describe('secrets', () => {
  it('masks all but the last four characters', () => {
    expect(maskSecret('AKIAIOSFODNN7EXAMPLE')).toBe('****************MPLE');
    expect(maskSecret('abc')).toBe('****');
  });
  it('scrubs secret keys, access key ids and private keys', () => {
    const pem = ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', '-----END PRIVATE KEY-----'].join('\n');
    const out = scrub(`key AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ${pem}`);
    expect(out).toBe('key ****************MPLE secret [secret] [private key]');
  });
});
