/** What a query-protocol service module (CloudFormation, EC2, Auto Scaling, STS) provides; see `protocol-query.ts`. */
import type { Form } from './form.js';
import type { World } from './world.js';
import type { XmlObject } from './xml.js';

/** One request as a handler sees it: form fields and the time it arrived. */
export interface RequestContext {
  params: Form;
  /** `now()` when the request arrived. */
  t: number;
  world: World;
}

/** Handles one action; returns the result's fields (or nothing for an empty result). */
export type Handler = (ctx: RequestContext) => XmlObject | undefined;

/** A service on the shared endpoint. */
export interface ServiceDef {
  /** SigV4 signing name, as in the credential scope: `cloudformation`, `ec2`, `autoscaling`, `sts`. */
  name: string;
  version: string;
  xmlns: string;
  /** `query` (CloudFormation, Auto Scaling, STS) or `ec2`. */
  protocol: 'query' | 'ec2';
  actions: Record<string, Handler>;
}

/** Slices `items` into a page of `size` from the offset in `token`. */
export function page<T>(items: T[], size: number, start: number): { items: T[]; next?: number } {
  const slice = items.slice(start, start + size);
  return { items: slice, next: start + size < items.length ? start + size : undefined };
}
