import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, ListSecretsCommand, PutSecretValueCommand, SecretsManagerClient, TagResourceCommand } from '@aws-sdk/client-secrets-manager';
import { attachDebugLog, clientConfig, type AwsTarget } from './config.js';
import { awsCall, isAwsFailure } from './errors.js';
import type { SecretApi } from './services.js';

export function createSecretApi(target: AwsTarget): SecretApi {
  const sm = new SecretsManagerClient(clientConfig(target, 'SECRETS_MANAGER'));
  attachDebugLog(sm, 'secretsmanager', target);
  const find = async (name: string) => {
    try {
      const out = await awsCall('secretsmanager:DescribeSecret', () => sm.send(new DescribeSecretCommand({ SecretId: name })));
      return out.DeletedDate ? undefined : out.ARN;
    } catch (error) {
      if (isAwsFailure(error) && (error.kind === 'not-found' || error.code === 'ResourceNotFoundException')) return undefined;
      throw error;
    }
  };
  return {
    find,
    async names(prefix) {
      const found: string[] = [];
      let token: string | undefined;
      do {
        // The `name` filter matches a prefix, case-insensitively: the exact prefix is checked here.
        const page = await awsCall('secretsmanager:ListSecrets', () =>
          sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix] }], MaxResults: 100, NextToken: token })),
        );
        for (const s of page.SecretList ?? []) if (s.Name?.startsWith(prefix) && !s.DeletedDate) found.push(s.Name);
        token = page.NextToken;
      } while (token);
      return found;
    },
    async put(name, value, tags) {
      const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
      const existing = await find(name);
      if (existing) {
        await awsCall('secretsmanager:PutSecretValue', () => sm.send(new PutSecretValueCommand({ SecretId: existing, SecretString: value })));
        await awsCall('secretsmanager:TagResource', () => sm.send(new TagResourceCommand({ SecretId: existing, Tags: tagList })));
        return existing;
      }
      const out = await awsCall('secretsmanager:CreateSecret', () =>
        sm.send(new CreateSecretCommand({ Name: name, SecretString: value, Tags: tagList, Description: 'elasticrtc cluster secret: api key, TURN secret, inspector credentials, DTLS certificate' })),
      );
      return out.ARN ?? name;
    },
    async delete(nameOrArn) {
      try {
        await awsCall('secretsmanager:DeleteSecret', () => sm.send(new DeleteSecretCommand({ SecretId: nameOrArn, ForceDeleteWithoutRecovery: true })));
      } catch (error) {
        if (isAwsFailure(error) && (error.kind === 'not-found' || error.code === 'ResourceNotFoundException')) return;
        throw error;
      }
    },
  };
}
