/** A CloudFormation stack event, as the tool needs it. Times are ms since the epoch. */
export interface StackEvent {
  id: string;
  stackId: string;
  stackName: string;
  logicalId: string;
  physicalId?: string;
  type: string;
  status: string;
  reason?: string;
  timestamp: number;
  token?: string;
}

/** A stack as described by DescribeStacks. */
export interface StackDescription {
  id: string;
  name: string;
  status: string;
  statusReason?: string;
  created: number;
  updated?: number;
  parameters: Record<string, string>;
  outputs: Record<string, string>;
  tags: Record<string, string>;
  terminationProtection: boolean;
}

export interface StackResource {
  logicalId: string;
  physicalId?: string;
  type: string;
  status: string;
}

export interface CreateStackRequest {
  name: string;
  templateBody: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  token: string;
  timeoutMinutes: number;
  terminationProtection: boolean;
}

/** One change of a change set, as the preview shows it. */
export interface ResourceChange {
  action: string;
  logicalId: string;
  type: string;
  /** 'True', 'False' or 'Conditional', as CloudFormation says. */
  replacement?: string;
  scope: string[];
}

/** A change set, once CloudFormation has computed it. */
export type ChangeSetState =
  | { status: 'ready'; id: string; changes: ResourceChange[] }
  | { status: 'empty'; id: string }
  | { status: 'failed'; id: string; reason: string };

/**
 * A change set as DescribeChangeSet reports it: still being computed, computed (with every change, all
 * pages read), or failed with CloudFormation's reason (which is also how it says "nothing to change").
 */
export type ChangeSetStatus =
  | { status: 'pending'; id: string }
  | { status: 'ready'; id: string; changes: ResourceChange[] }
  | { status: 'failed'; id: string; reason: string };

export interface UpdateRequest {
  templateBody: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  name: string;
}

/** The narrow view of CloudFormation the tool uses. Every failure is an `AwsFailure`. */
export interface StackApi {
  create(request: CreateStackRequest): Promise<string>;
  /** The stack by name or id, or undefined when there is none. */
  describe(nameOrId: string): Promise<StackDescription | undefined>;
  /** Every live stack in the region, one page per iteration. */
  pages(): AsyncIterable<StackDescription[]>;
  /**
   * Recent events, newest first: pages are read until `enough(event)` holds for an event of the page
   * (typically "already seen, or older than the operation"), or there are no more pages.
   * Makes a single attempt per page: the caller owns retries, so a throttled poll costs one call.
   */
  recentEvents(stackId: string, enough: (event: StackEvent) => boolean): Promise<StackEvent[]>;
  resources(stackId: string): Promise<StackResource[]>;
  delete(stackId: string, token: string): Promise<void>;
  /** The template body as last deployed. */
  template(stackId: string): Promise<string>;
  /** Starts computing an update change set (CreateChangeSet); returns its id. `deploy/change-set.ts` waits for it. */
  createChangeSet(stackName: string, request: UpdateRequest): Promise<string>;
  /** One read of a change set (DescribeChangeSet, every page of its changes). */
  describeChangeSet(changeSetId: string, stackName: string): Promise<ChangeSetStatus>;
  executeChangeSet(changeSetId: string, token: string): Promise<void>;
  deleteChangeSet(changeSetId: string): Promise<void>;
  cancelUpdate(stackId: string, token: string): Promise<void>;
}
