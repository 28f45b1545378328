/**
 * What stack resources leave in the other services: `AWS::S3::Bucket` → a bucket,
 * `AWS::S3::BucketPolicy` → its policy (both in `s3-artifacts.ts`), `AWS::Route53::RecordSet` → a
 * record set, `AWS::SecretsManager::Secret` → a secret, `AWS::ElasticLoadBalancingV2::Listener` /
 * `ListenerCertificate` → certificates in use, `AWS::SQS::Queue` → a queue and
 * `AWS::AutoScaling::LifecycleHook` → a hook (both in `queue-artifacts.ts`). Each
 * appears when its resource's `*_COMPLETE` event happens and goes with its `DELETE_COMPLETE`
 * (a retained resource stays). Also why a resource fails to create: unresolvable dynamic
 * references, names already taken, missing hosted zones or certificates.
 */
import { endLife, type Lifetime, type Origin } from './lifetime.js';
import { resolveDynamicReferences } from './dynamic-refs.js';
import { uuid } from './ids.js';
import { upLifecycleHook, upQueue } from './queue-artifacts.js';
import { findZone, fqdn, inZone, type ZoneRecord } from './route53-zones.js';
import { upBucket, upBucketPolicy } from './s3-artifacts.js';
import { bucketAt } from './s3-buckets.js';
import { addVersion, findSecret, randomPassword, secretNameOf, type PasswordOptions, type SecretRecord } from './secrets.js';
import type { Placed } from './scheduler.js';
import type { ActiveResource, StackEval } from './stack-eval.js';
import type { Stack, StackEvent } from './stack.js';
import type { World } from './world.js';

type Props = Record<string, unknown>;
const isRecord = (v: unknown): v is Props => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const handler = (message: string, code: string): string => `Resource handler returned message: "${message}" (HandlerErrorCode: ${code})`;

function zoneFor(world: World, props: Props): ZoneRecord | undefined {
  const id = str(props.HostedZoneId);
  if (id) return findZone(world, id);
  const name = str(props.HostedZoneName);
  return name ? world.zones.find((z) => z.name === fqdn(name)) : undefined;
}

function certificateArns(type: string, props: Props): string[] {
  if (type !== 'AWS::ElasticLoadBalancingV2::Listener' && type !== 'AWS::ElasticLoadBalancingV2::ListenerCertificate') return [];
  const list = Array.isArray(props.Certificates) ? props.Certificates : [];
  return list.filter(isRecord).flatMap((c) => str(c.CertificateArn) ?? []);
}

const notOurs = (stack: Stack, r: ActiveResource) => (x: { origin?: Origin }) => x.origin?.stackId !== stack.id || x.origin.logicalId !== r.logicalId;

/** Why creating (or updating) a resource at `at` fails, or `undefined`. */
export function creationProblem(world: World, stack: Stack, evaluation: StackEval, r: ActiveResource, at: number): string | undefined {
  const resolved = resolveDynamicReferences(world, evaluation.props(r.logicalId), at);
  if (resolved.problem !== undefined) return resolved.problem;
  const props = isRecord(resolved.value) ? resolved.value : {};
  const mine = notOurs(stack, r);
  if (r.type === 'AWS::S3::Bucket') {
    const name = str(props.BucketName);
    const existing = name ? bucketAt(world, name, at) : undefined;
    if (name && existing && mine(existing)) return handler(`${name} already exists`, 'AlreadyExists');
  }
  if (r.type === 'AWS::SecretsManager::Secret') {
    const name = str(props.Name);
    const existing = name ? findSecret(world, name, at) : undefined;
    if (name && existing && mine(existing)) return handler(`The operation failed because the secret ${name} already exists.`, 'AlreadyExists');
  }
  if (r.type === 'AWS::Route53::RecordSet') {
    const zone = zoneFor(world, props);
    if (!zone) return `No hosted zone found with ID: ${str(props.HostedZoneId) ?? str(props.HostedZoneName) ?? '(none)'}`;
    const name = fqdn(str(props.Name) ?? '');
    const type = str(props.Type) ?? '';
    if (!inZone(zone, name)) return `[RRSet with DNS name ${name} is not permitted in zone ${zone.name}]`;
    if (zone.records.some((x) => x.name === name && x.type === type && mine(x) && aliveAtOrAfter(x.life, at))) {
      return `[Tried to create resource record set [name='${name}', type='${type}'] but it already exists]`;
    }
  }
  for (const arn of certificateArns(r.type, props)) {
    if (arn.startsWith('arn:aws:acm:') && !world.certificates.some((c) => c.arn === arn)) {
      return handler(`Certificate '${arn}' not found (Service: ElasticLoadBalancingV2, Status Code: 400)`, 'NotFound');
    }
  }
  return undefined;
}

/** Whether state exists at `at` or will exist later (its creation not cancelled, its end not before `at`). */
function aliveAtOrAfter(life: Lifetime, at: number): boolean {
  if (typeof life.from !== 'number' && life.from.cancelled) return false;
  const until = life.until;
  if (until === undefined) return true;
  return typeof until === 'number' ? until > at : until.cancelled || until.ts > at;
}

function stackTags(stack: Stack, logicalId: string, props: Props): Record<string, string> {
  const tags: Record<string, string> = { ...stack.config.tags };
  for (const t of Array.isArray(props.Tags) ? props.Tags.filter(isRecord) : []) if (str(t.Key)) tags[String(t.Key)] = str(t.Value) ?? '';
  return { ...tags, 'aws:cloudformation:stack-name': stack.name, 'aws:cloudformation:stack-id': stack.id, 'aws:cloudformation:logical-id': logicalId };
}

function secretValue(props: Props): string {
  const given = str(props.SecretString);
  if (given !== undefined) return given;
  const options = isRecord(props.GenerateSecretString) ? props.GenerateSecretString : {};
  const password = randomPassword(options as PasswordOptions);
  const template = str(options.SecretStringTemplate);
  const key = str(options.GenerateStringKey);
  if (!template || !key) return password;
  return JSON.stringify({ ...(JSON.parse(template) as Props), [key]: password });
}

function upSecret(world: World, origin: Origin, props: Props, tags: Record<string, string>, done: StackEvent): void {
  const source = JSON.stringify(props.SecretString ?? props.GenerateSecretString ?? null);
  const previous = world.secrets.find((s) => s.origin?.stackId === origin.stackId && s.origin.logicalId === origin.logicalId && s.life.until === done);
  const secret: SecretRecord = {
    arn: origin.physicalId,
    name: secretNameOf(origin.physicalId),
    description: str(props.Description),
    tags,
    versions: previous ? previous.versions.map((v) => ({ ...v, stages: [...v.stages] })) : [],
    created: previous?.created ?? done.ts,
    lastChanged: done.ts,
    templateSource: source,
    life: { from: done },
    origin,
  };
  if (!previous || previous.templateSource !== source) addVersion(secret, { id: uuid(), value: secretValue(props), stages: ['AWSCURRENT'], created: done.ts });
  world.secrets.push(secret);
}

/** Records what a resource leaves in the other services once `done` happens. */
export function artifactUp(world: World, stack: Stack, evaluation: StackEval, r: ActiveResource, done: StackEvent): void {
  const resolved = resolveDynamicReferences(world, evaluation.props(r.logicalId), done.ts).value;
  const props = isRecord(resolved) ? resolved : evaluation.props(r.logicalId);
  const origin: Origin = { stackId: stack.id, logicalId: r.logicalId, physicalId: evaluation.physical.get(r.logicalId) ?? '' };
  const life = { from: done };
  switch (r.type) {
    case 'AWS::S3::Bucket':
      upBucket(world, origin, props, stackTags(stack, r.logicalId, props), done);
      return;
    case 'AWS::S3::BucketPolicy':
      upBucketPolicy(world, origin, props, done);
      return;
    case 'AWS::SecretsManager::Secret':
      upSecret(world, origin, props, stackTags(stack, r.logicalId, props), done);
      return;
    case 'AWS::SQS::Queue':
      upQueue(world, origin, props, stackTags(stack, r.logicalId, props), done);
      return;
    case 'AWS::AutoScaling::LifecycleHook':
      upLifecycleHook(world, origin, props, done);
      return;
    case 'AWS::Route53::RecordSet': {
      const alias = isRecord(props.AliasTarget) ? props.AliasTarget : undefined;
      const values = Array.isArray(props.ResourceRecords) ? props.ResourceRecords.map((v) => str(v) ?? '') : [];
      const aliasTarget = alias && { hostedZoneId: str(alias.HostedZoneId) ?? '', dnsName: fqdn(str(alias.DNSName) ?? ''), evaluateTargetHealth: String(alias.EvaluateTargetHealth) === 'true' };
      const ttl = props.TTL === undefined ? undefined : Number(props.TTL);
      zoneFor(world, props)?.records.push({ name: fqdn(str(props.Name) ?? ''), type: str(props.Type) ?? 'A', ttl, values, alias: aliasTarget, life, origin });
      return;
    }
  }
  const arns = certificateArns(r.type, props);
  if (!arns.length) return;
  const parent = str(props.LoadBalancerArn) ?? str(props.ListenerArn) ?? origin.physicalId;
  const user = parent.replace(':listener/', ':loadbalancer/').replace(/^(arn:[^/]*:loadbalancer\/[^/]+\/[^/]+\/[^/]+).*$/, '$1');
  world.certificateUses.push({ certificateArns: arns, user, life, origin });
}

/** Ends what a resource left in the other services when `gone` happens. */
export function artifactDown(world: World, stack: Stack, r: Placed, gone: StackEvent): void {
  const origin: Origin = { stackId: stack.id, logicalId: r.logicalId, physicalId: r.physicalId };
  endLife(world.buckets, origin, gone);
  endLife(world.bucketPolicies, origin, gone);
  endLife(world.secrets, origin, gone);
  endLife(world.certificateUses, origin, gone);
  endLife(world.queues, origin, gone);
  endLife(world.lifecycleHooks, origin, gone);
  for (const zone of world.zones) endLife(zone.records, origin, gone);
}
