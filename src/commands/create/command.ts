import type { Command, CommandOptions, RunFunction } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { runCreate } from './run.js';
import type { OptionSpecs } from '../../cli/options.js';
import { DEFAULT_INSTANCE_TYPE } from '../../cluster/settings.js';
import { DEFAULT_KMS_VERSION } from '../../cluster/versions.js';
import { stackNameOption, waitOptions } from '../shared/options.js';

/** The cluster settings flags (validated in `cluster/settings.ts`, so values stay strings here). */
export const clusterOptions = {
  config: { type: 'string', alias: 'f', placeholder: 'file', describe: 'read settings from a YAML file keyed by these flag names; flags override it' },
  version: { type: 'string', placeholder: 'version', describe: `Kurento Media Server version ("elasticrtc version" lists them) [default: ${DEFAULT_KMS_VERSION}]` },
  'aws-instance-type': { type: 'string', placeholder: 'type', describe: `EC2 instance type of the media server nodes [default: ${DEFAULT_INSTANCE_TYPE}]` },
  'aws-app-instance-type': { type: 'string', placeholder: 'type', describe: 'EC2 instance type of the application tier, for the room demo when it returns [default: --aws-instance-type]' },
  'aws-instance-tenancy': { type: 'string', placeholder: 'tenancy', describe: 'default or dedicated (single-tenant hardware) [default: default]' },
  'aws-key-name': { type: 'string', placeholder: 'name', describe: 'EC2 key pair for SSH; without it SSH is closed (use Session Manager)' },
  'aws-s3-bucket-name': { type: 'string', placeholder: 'bucket', describe: 'bucket for recordings, logs and the node runtime; created when missing, kept when the cluster is deleted [default: <region>-<stack-name>]' },
  'api-key': { type: 'string', placeholder: 'key', describe: 'the secret path of the cluster URL, ws[s]://host/<api-key> (8-128 letters and digits) [default: generated]' },
  'api-origin': { type: 'string', placeholder: 'cidrs', describe: 'CIDR blocks allowed to reach the Kurento API [default: 0.0.0.0/0]' },
  'control-origin': { type: 'string', placeholder: 'cidrs', describe: 'CIDR blocks allowed to reach SSH (and the inspector, when it ships) [default: 0.0.0.0/0]' },
  'ssl-cert': { type: 'string', placeholder: 'file', describe: 'PEM certificate (chain allowed) for wss:// on 443; imported into ACM' },
  'ssl-key': { type: 'string', placeholder: 'file', describe: 'PEM private key of --ssl-cert; goes to ACM and nowhere else' },
  'certificate-arn': { type: 'string', placeholder: 'arn', describe: 'use a certificate already in ACM instead of --ssl-cert/--ssl-key' },
  'hosted-zone-id': { type: 'string', placeholder: 'zone', describe: 'Route 53 hosted zone that gets the cluster’s DNS name' },
  'desired-capacity': { type: 'string', placeholder: 'n', describe: 'nodes to start with; alone, a fixed size [default: 1]' },
  'min-capacity': { type: 'string', placeholder: 'n', describe: 'fewest nodes when autoscaling (needs --max-capacity)' },
  'max-capacity': { type: 'string', placeholder: 'n', describe: 'most nodes when autoscaling (needs --min-capacity)' },
  'scale-out-policy': { type: 'string', placeholder: 'L=P,…', describe: 'at load L% add P% nodes [default: 75=10]' },
  'scale-in-policy': { type: 'string', placeholder: 'L=P,…', describe: 'below load L% remove P% nodes [default: 25=10]' },
  'cost-map': { type: 'string', placeholder: 'Type=C,…', describe: 'load points (100 per CPU) of each Kurento media element [default: WebRtcEndpoint=1]' },
  'log-storage': { type: 'string', placeholder: 'where', describe: 'cloudwatch, s3, elasticsearch or none [default: cloudwatch]' },
  'elasticsearch-transport': { type: 'string', placeholder: 'host[:port]', describe: 'Elasticsearch for --log-storage elasticsearch (port 9200 by default)' },
  'elasticsearch-ssl': { type: 'boolean', acceptsValue: true, describe: 'reach Elasticsearch over TLS (also --elasticsearch-ssl true|false, as in 2016)' },
  'elasticsearch-user': { type: 'string', placeholder: 'user', describe: 'Elasticsearch user' },
  'elasticsearch-password': { type: 'string', placeholder: 'password', describe: 'Elasticsearch password (kept in Secrets Manager)' },
  'inspector-user': { type: 'string', placeholder: 'user', describe: 'inspector login [default: admin]' },
  'inspector-pass': { type: 'string', placeholder: 'password', describe: 'inspector password (kept in Secrets Manager) [default: generated]' },
  'enable-turn': { type: 'string', placeholder: 'bool', describe: 'run a TURN server on every node: true or false [default: true]' },
  'enable-app': { type: 'string', placeholder: 'app', describe: 'application tier at /app: none (room, Kurento’s group call demo, is being rebuilt and refused in this version)' },
  'health-check-grace-period': { type: 'string', placeholder: 's', describe: 'seconds a new node has before health checks count [default: 300]' },
  'autoscaling-heartbeat-timeout': { type: 'string', placeholder: 's', describe: 'seconds a node may drain its sessions before it is terminated [default: 600]' },
  'session-reconnection-time': { type: 'string', placeholder: 's', describe: 'seconds a client may take to reconnect to its session [default: 30]' },
  tags: { type: 'string', placeholder: 'k=v,…', describe: 'extra stack tags' },
} as const satisfies OptionSpecs;

export const createOptions = {
  ...stackNameOption,
  ...clusterOptions,
  'dry-run': { type: 'boolean', describe: 'validate and print the template and parameters; change nothing in AWS' },
  'termination-protection': { type: 'boolean', describe: 'protect the stack against deletion' },
  ...waitOptions,
} as const satisfies OptionSpecs;

export type CreateOptions = CommandOptions<typeof createOptions>;

/** `elasticrtc create`: a new cluster, followed to the end, then its report. */
export const createCommand = (ctx: CliContext, run?: RunFunction<typeof createOptions>): Command<typeof createOptions> => ({
  name: 'create',
  describe: 'Create a Kurento cluster: validate, create its stack, follow it, report',
  options: createOptions,
  examples: [
    ['elasticrtc create --stack-name demo --region eu-west-1 --dry-run', 'print the template, create nothing'],
    ['elasticrtc create --stack-name demo --min-capacity 1 --max-capacity 4', 'an autoscaling cluster'],
    ['elasticrtc create --stack-name ci --non-interactive -o json', 'from a CI job'],
  ],
  handler: (opts) => (run ?? runCreate)(ctx, opts),
});
