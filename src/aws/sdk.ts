/**
 * Everything that needs the AWS SDK, in one module: the build bundles it separately (`dist/aws.cjs`) and
 * loads it only when a command first talks to AWS, so `--help` and `--dry-run` never pay for the SDK.
 */
export { createCertificateApi } from './acm.js';
export { createStackApi } from './cloudformation.js';
export { createComputeApi } from './ec2.js';
export { profileRegion } from './profile-region.js';
export { createDnsApi } from './route53.js';
export { createStorageApi } from './s3.js';
export { createSecretApi } from './secrets-manager.js';
export { createIdentityApi } from './sts.js';
