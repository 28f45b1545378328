/** STS actions (API version 2011-06-15). */
import type { ServiceDef } from './service.js';

/** The STS service: `GetCallerIdentity` answers for a fixed IAM user `tester`. */
export const sts: ServiceDef = {
  name: 'sts',
  version: '2011-06-15',
  xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
  protocol: 'query',
  actions: {
    GetCallerIdentity: ({ world }) => ({
      UserId: 'AIDAFAKEAWSTESTER0001',
      Account: world.options.accountId,
      Arn: `arn:aws:iam::${world.options.accountId}:user/tester`,
    }),
  },
};
