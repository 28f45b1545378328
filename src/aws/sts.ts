import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { attachDebugLog, clientConfig, type AwsTarget } from './config.js';
import { awsCall } from './errors.js';

/** Who the credentials belong to. */
export interface Identity {
  account: string;
  arn: string;
}

export interface IdentityApi {
  /** Checks the credentials with STS; a rejection is an `AwsFailure` of kind `credentials`. */
  whoAmI(): Promise<Identity>;
}

export function createIdentityApi(target: AwsTarget): IdentityApi {
  const sts = new STSClient(clientConfig(target, 'STS', 3));
  attachDebugLog(sts, 'sts', target);
  return {
    async whoAmI() {
      const out = await awsCall('sts:GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
      return { account: out.Account ?? '', arn: out.Arn ?? '' };
    },
  };
}
