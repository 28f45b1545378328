import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { testContext } from './support/context.js';

const noAws = () => {
  throw new Error('no AWS call expected');
};
const emptyHome = () => mkdtempSync(join(tmpdir(), 'elasticrtc-home-'));

async function run(argv: string[], env: Record<string, string> = {}) {
  const t = testContext({ aws: noAws, env: { HOME: emptyHome(), ...env } });
  const code = await main(argv, t.ctx);
  return { code, out: t.out(), err: t.err() };
}

describe('main', () => {
  it('prints its own version with --tool-version and -V', async () => {
    expect(await run(['--tool-version'])).toMatchObject({ code: 0, out: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
    expect((await run(['-V'])).code).toBe(0);
  });

  it('prints help on stdout', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Commands:\n {2}elasticrtc create +Create a Kurento cluster/m);
    expect(r.out).toContain('--tool-version');
    const create = await run(['create', '--help']);
    expect(create.out).toContain('--min-capacity');
    expect(create.out).toContain('Kurento Media Server version');
  });

  it.each([
    [[], 'a command is needed'],
    [['launch'], 'unknown command: launch'],
    [['creat'], 'did you mean "elasticrtc create"?'],
    [['create', '--stack-name', 'x', '--bogus'], 'unknown option --bogus for create'],
    [['create', '--stack-nme', 'x'], 'did you mean --stack-name?'],
    [['create', '--stack-name'], '--stack-name needs a value'],
    [['create', '--dry-run=yes', '--stack-name', 'x'], '--dry-run takes no value'],
    [['create', 'extra', '--stack-name', 'x'], 'unexpected argument for create: extra'],
    [['list', '--no-wait'], 'unknown option --no-wait for list'],
    [['create', '--stack-name', 'x', '--region', 'eu-west-1', '--dry-run', '--output', 'xml'], '--output xml: expected one of text, json, yaml'],
  ])('%j is a usage error', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err.toLowerCase()).toContain(message);
    expect(r.out).toBe('');
  });

  it('never picks a region silently', async () => {
    const r = await run(['create', '--stack-name', 'demo', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no AWS region given');
    expect(r.err).toContain('--region');
  });

  it('takes the region from AWS_REGION, then AWS_DEFAULT_REGION', async () => {
    const r = await run(['create', '--stack-name', 'demo', '--dry-run', '-o', 'yaml'], { AWS_DEFAULT_REGION: 'us-east-2' });
    expect(r.out).toContain('region: us-east-2');
    const both = await run(['create', '--stack-name', 'demo', '--dry-run', '-o', 'yaml'], { AWS_DEFAULT_REGION: 'us-east-2', AWS_REGION: 'ap-south-1' });
    expect(both.out).toContain('region: ap-south-1');
  });

  it('rejects a malformed region', async () => {
    const r = await run(['create', '--stack-name', 'demo', '--dry-run', '--region', 'Europe']);
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('--region Europe: expected an AWS region name') });
  });

  it('renders a dry run offline: the template on stdout, notes on stderr', async () => {
    const r = await run(['create', '--stack-name', 'demo', '--region', 'eu-west-1', '--dry-run']);
    expect(r.code).toBe(0);
    const template = JSON.parse(r.out);
    expect(template.Resources.NodeGroup.Type).toBe('AWS::AutoScaling::AutoScalingGroup');
    expect(r.err).toContain('dry run: nothing was created');
    expect(r.err).toContain('--api-origin 0.0.0.0/0');
  });

  it('prints exactly one JSON object with -o json and with -j', async () => {
    for (const flags of [['-o', 'json'], ['-j'], ['--json']]) {
      const r = await run(['create', '--stack-name', 'demo', '--region', 'eu-west-1', '--dry-run', ...flags]);
      const doc = JSON.parse(r.out);
      expect(Object.keys(doc)).toEqual(['settings', 'template', 'parameters', 'tags']);
      expect(doc.tags['elasticrtc:cluster']).toBe('demo');
    }
  });

  it('gives JSON errors with -o json', async () => {
    const r = await run(['create', '--stack-name', '9lives', '--region', 'eu-west-1', '--dry-run', '-o', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).error).toMatchObject({ code: 'InvalidSettings', message: expect.stringContaining('--stack-name 9lives') });
  });

  it('asks for a confirmation nobody can give: exit 2 naming --yes, before any AWS call', async () => {
    const r = await run(['delete', '--stack-name', 'demo', '--region', 'eu-west-1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--yes');
  });

  it('rejects half a key pair before any AWS call', async () => {
    const r = await run(['list', '--region', 'eu-west-1', '--aws-access-key-id', 'AKIAIOSFODNN7EXAMPLE']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--aws-access-key-id ****************MPLE needs --aws-secret-access-key');
    expect(r.err).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });
});
