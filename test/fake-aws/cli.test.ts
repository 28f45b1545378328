import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../support/fake-aws/cli.ts', import.meta.url));

describe('fake-aws cli', () => {
  it('prints AWS_ENDPOINT_URL, serves SDK clients configured by that variable, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--step-ms', '5'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      const line = chunk.toString().trim();
      expect(line).toMatch(/^AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+$/);
      const saved = process.env.AWS_ENDPOINT_URL;
      process.env.AWS_ENDPOINT_URL = line.split('=')[1];
      try {
        const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
        const sts = new STSClient({ region: 'eu-west-1', credentials });
        expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
        const cfn = new CloudFormationClient({ region: 'eu-west-1', credentials });
        expect((await cfn.send(new ListStacksCommand({}))).StackSummaries).toEqual([]);
        sts.destroy();
        cfn.destroy();
      } finally {
        if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
        else process.env.AWS_ENDPOINT_URL = saved;
      }
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
