
/** What the node asks of AWS at boot, with its instance role. */
export interface NodeCloud {
  /** The secret's string; a missing secret or one without access rejects with a message naming the secret. */
  secret(arn: string): Promise<string>;
  /** One CreationPolicy signal. `uniqueId` carries the reason of a failure (SignalResource has no other field). */
  signal(input: { stack: string; resource: string; uniqueId: string; success: boolean }): Promise<void>;
}

const name = (e: unknown) => (e instanceof Error ? e.name : 'Error');
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The SDK with its default credentials chain (the instance role through IMDSv2) and its standard
 * retries. Each client is loaded on first use: a controller that never signals never pays for it.
 */
export function sdkCloud(region: string): NodeCloud {
  const config = { region, maxAttempts: 4 };
  return {
    async secret(arn) {
      try {
        const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
        const out = await new SecretsManagerClient(config).send(new GetSecretValueCommand({ SecretId: arn }));
        if (out.SecretString === undefined) throw new Error('it has no string value');
        return out.SecretString;
      } catch (error) {
        throw new Error(`cannot read the cluster secret ${arn}: ${name(error)}: ${message(error)}`, { cause: error });
      }
    },
    async signal({ stack, resource, uniqueId, success }) {
      const { CloudFormationClient, SignalResourceCommand } = await import('@aws-sdk/client-cloudformation');
      await new CloudFormationClient(config).send(
        new SignalResourceCommand({ StackName: stack, LogicalResourceId: resource, UniqueId: uniqueId, Status: success ? 'SUCCESS' : 'FAILURE' }),
      );
    },
  };
}

/**
 * The `UniqueId` of a signal: the instance id, then the reason of a failure, cut to SignalResource's 64
 * characters. CloudFormation shows it in the stack event ("Received FAILURE signal with UniqueId …").
 */
export function signalId(instanceId: string, reason?: string): string {
  const id = reason === undefined ? instanceId : `${instanceId} ${reason.replace(/\s+/g, ' ')}`;
  return id.length <= 64 ? id : `${id.slice(0, 61)}...`;
}
