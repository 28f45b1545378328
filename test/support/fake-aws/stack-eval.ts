/**
 * Evaluates a stack's template for one operation: active resources, their resolved properties,
 * physical ids, attributes, outputs and what an Auto Scaling group launches.
 */
import type { GroupSpec } from './fleet.js';
import { attributeValue } from './resource-attributes.js';
import { newPhysicalId, type ResourceScope } from './resource-types.js';
import type { OutputValue, Stack, StackConfig } from './stack.js';
import { asString, evaluateConditions, resolveValue, type EvalContext, type ResourceDef } from './template.js';
import type { World } from './world.js';

/** A resource the template declares and whose condition holds. */
export interface ActiveResource {
  logicalId: string;
  type: string;
  def: ResourceDef;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One evaluation of a stack config; `physical` maps logical ids to physical ids. */
export class StackEval {
  readonly ctx: EvalContext;
  readonly conditions: Record<string, boolean>;
  readonly scope: ResourceScope;

  constructor(
    private readonly world: World,
    private readonly stack: Stack,
    readonly config: StackConfig,
    readonly physical = new Map<string, string>(),
  ) {
    const { region, accountId } = world.options;
    this.scope = { stackName: stack.name, region, accountId, endpointUrl: world.endpointUrl };
    this.ctx = {
      template: config.template,
      params: config.parameters.values,
      region,
      accountId,
      stackName: stack.name,
      stackId: stack.id,
      physicalId: (id) => this.physical.get(id),
      getAtt: (id, attr) => this.attribute(id, attr),
    };
    this.conditions = evaluateConditions(this.ctx);
  }

  private attribute(logicalId: string, attr: string): unknown {
    const def = this.config.template.Resources[logicalId];
    if (!def) throw new Error(`Fn::GetAtt of unknown resource ${logicalId}`);
    const physicalId = this.physical.get(logicalId) ?? `${this.stack.name}-${logicalId}`;
    return attributeValue(def.Type, logicalId, physicalId, attr, this.scope, this.stack.templateVersions.get(physicalId) ?? 1);
  }

  /** Resources in template order, without those whose condition is false. */
  resources(): ActiveResource[] {
    return Object.entries(this.config.template.Resources)
      .filter(([, def]) => def.Condition === undefined || this.conditions[def.Condition])
      .map(([logicalId, def]) => ({ logicalId, type: def.Type, def }));
  }

  /** Resolved properties of a resource. */
  props(logicalId: string): Record<string, unknown> {
    const value = resolveValue(this.config.template.Resources[logicalId]?.Properties ?? {}, this.ctx, this.conditions);
    return isRecord(value) ? value : {};
  }

  /** Gives a resource a new physical id (and remembers it). */
  assignNew(r: ActiveResource): string {
    const id = newPhysicalId(r.type, r.logicalId, this.props(r.logicalId), this.scope);
    this.physical.set(r.logicalId, id);
    return id;
  }

  /** Outputs whose condition holds, resolved. */
  outputs(): OutputValue[] {
    return Object.entries(this.config.template.Outputs ?? {})
      .filter(([, def]) => def.Condition === undefined || this.conditions[def.Condition])
      .map(([key, def]) => {
        const exportName = def.Export?.Name === undefined ? undefined : asString(resolveValue(def.Export.Name, this.ctx, this.conditions));
        return { key, value: asString(resolveValue(def.Value, this.ctx, this.conditions)), description: def.Description, exportName };
      });
  }

  /** What an Auto Scaling group resource launches (instance type from its launch template). */
  groupSpec(r: ActiveResource): GroupSpec {
    const props = this.props(r.logicalId);
    const num = (v: unknown): number | undefined => (v === undefined || v === '' ? undefined : Number(v));
    const mixed = isRecord(props.MixedInstancesPolicy) ? props.MixedInstancesPolicy : {};
    const mixedLt = isRecord(mixed.LaunchTemplate) ? mixed.LaunchTemplate : {};
    const ltRef = isRecord(props.LaunchTemplate) ? props.LaunchTemplate : isRecord(mixedLt.LaunchTemplateSpecification) ? mixedLt.LaunchTemplateSpecification : {};
    const isTemplate = ([id, phys]: [string, string]): boolean =>
      this.config.template.Resources[id]?.Type === 'AWS::EC2::LaunchTemplate' &&
      (phys === ltRef.LaunchTemplateId || this.props(id).LaunchTemplateName === ltRef.LaunchTemplateName);
    const ltLogical = [...this.physical.entries()].find(isTemplate)?.[0];
    const ltProps = ltLogical ? this.props(ltLogical) : {};
    const data = isRecord(ltProps.LaunchTemplateData) ? ltProps.LaunchTemplateData : {};
    const overrides = Array.isArray(mixedLt.Overrides) ? mixedLt.Overrides : [];
    const override = isRecord(overrides[0]) ? overrides[0].InstanceType : undefined;
    const min = num(props.MinSize) ?? 0;
    const subnets = props.VPCZoneIdentifier;
    const ltId = typeof ltRef.LaunchTemplateId === 'string' ? ltRef.LaunchTemplateId : undefined;
    return {
      name: this.physical.get(r.logicalId) ?? r.logicalId,
      stackId: this.stack.id,
      stackName: this.stack.name,
      logicalId: r.logicalId,
      min,
      max: num(props.MaxSize) ?? Math.max(min, 1),
      desired: num(props.DesiredCapacity) ?? min,
      instanceType: String(override ?? data.InstanceType ?? 't3.micro'),
      imageId: String(data.ImageId ?? 'ami-0123456789abcdef0'),
      launchTemplate: ltId
        ? { id: ltId, name: String(ltProps.LaunchTemplateName ?? `${this.stack.name}-${ltLogical ?? 'LaunchTemplate'}`), version: asString(ltRef.Version ?? '$Default') }
        : undefined,
      subnets: Array.isArray(subnets) ? subnets.map(asString) : typeof subnets === 'string' ? subnets.split(',') : [],
      tags: (Array.isArray(props.Tags) ? props.Tags.filter(isRecord) : []).map((t) => ({
        Key: asString(t.Key),
        Value: asString(t.Value),
        PropagateAtLaunch: t.PropagateAtLaunch === true || t.PropagateAtLaunch === 'true',
      })),
      targetGroupArns: Array.isArray(props.TargetGroupARNs) ? props.TargetGroupARNs.map(asString) : [],
    };
  }
}
