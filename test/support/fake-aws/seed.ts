/** `addStack` and `addImage`: state that exists before a test starts. */
import { newStackId } from './cloudformation.js';
import { newImageId } from './ec2.js';
import { suffix } from './ids.js';
import { Scheduler, type Placed } from './scheduler.js';
import { Stack, type Operation } from './stack.js';
import type { Template } from './template.js';
import { parse } from 'yaml';
import type { World } from './world.js';

/** A stack to seed. */
export interface StackSeed {
  name: string;
  /** Final stack status; default `CREATE_COMPLETE`. Resources are shown `CREATE_COMPLETE` whatever it is. */
  status?: string;
  tags?: Record<string, string>;
  parameters?: Record<string, string>;
  outputs?: Record<string, string>;
  templateBody?: string;
  resources?: { logicalId: string; type: string; physicalId: string }[];
  /** EC2 instances for its `AWS::AutoScaling::AutoScalingGroup` resource (one named `NodeGroup` is added if there is none). */
  instances?: number;
  creationTime?: number;
}

/** An image to seed. */
export interface ImageSeed {
  imageId?: string;
  name: string;
  tags?: Record<string, string>;
  ownerId?: string;
}

const ASG = 'AWS::AutoScaling::AutoScalingGroup';

/** Adds a stack whose events all happened at its creation time; returns its id. */
export function seedStack(world: World, def: StackSeed): string {
  const t = def.creationTime ?? world.options.now();
  const resources: Placed[] = [...(def.resources ?? [])];
  if (def.instances && !resources.some((r) => r.type === ASG)) {
    resources.push({ logicalId: 'NodeGroup', type: ASG, physicalId: `${def.name}-NodeGroup-${suffix(12)}` });
  }
  const template: Template = def.templateBody
    ? (parse(def.templateBody) as Template)
    : {
        Parameters: Object.fromEntries(Object.keys(def.parameters ?? {}).map((k) => [k, { Type: 'String' }])),
        Resources: Object.fromEntries(resources.map((r) => [r.logicalId, { Type: r.type }])),
        Outputs: Object.fromEntries(Object.entries(def.outputs ?? {}).map(([k, v]) => [k, { Value: v }])),
      };
  const config = {
    templateBody: def.templateBody ?? JSON.stringify(template),
    template,
    parameters: { values: { ...def.parameters }, noEcho: new Set<string>() },
    tags: { ...def.tags },
    capabilities: [],
  };
  const stack = new Stack(newStackId(world, def.name), def.name, world.nextSeq(), t, config);
  world.stacks.push(stack);
  const op: Operation = { kind: 'CREATE', startedAt: t, outputs: Object.entries(def.outputs ?? {}).map(([key, value]) => ({ key, value })) };
  stack.ops.push(op);
  const s = new Scheduler(world, stack, t, undefined, 0);
  s.stackEvent('CREATE_IN_PROGRESS', 'User Initiated');
  for (const r of resources) {
    s.resourceEvent(r, 'CREATE_IN_PROGRESS', 'Resource creation Initiated');
    const done = s.resourceEvent(r, 'CREATE_COMPLETE');
    if (r.type === ASG && def.instances) {
      const n = def.instances;
      const spec = { name: r.physicalId, stackId: stack.id, stackName: stack.name, logicalId: r.logicalId, min: n, max: n, desired: n };
      world.fleet.launch({ ...spec, instanceType: 't3.micro', imageId: 'ami-0123456789abcdef0', subnets: [], tags: [], targetGroupArns: [] }, done);
    }
  }
  op.success = s.stackEvent(def.status ?? 'CREATE_COMPLETE');
  return stack.id;
}

/** Registers an AMI owned by the account (or `ownerId`). */
export function seedImage(world: World, def: ImageSeed): void {
  world.images.push({ imageId: def.imageId ?? newImageId(), name: def.name, tags: { ...def.tags }, ownerId: def.ownerId ?? world.options.accountId, creationDate: world.options.now() });
}
