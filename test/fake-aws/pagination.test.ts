import { CreateStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, ListStacksCommand, paginateDescribeStackEvents, paginateDescribeStacks, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { rejection, useFake } from './helpers.js';

const env = useFake();

describe('pagination', () => {
  it('pages DescribeStacks 100 at a time, newest first, without deleted stacks', async () => {
    for (let i = 0; i < 250; i++) env.fake.addStack({ name: `s${i}`, tags: { n: String(i) } });
    env.fake.addStack({ name: 'gone', status: 'DELETE_COMPLETE' });
    const pages: number[] = [];
    const names: string[] = [];
    for await (const page of paginateDescribeStacks({ client: env.cfn }, {})) {
      pages.push(page.Stacks?.length ?? 0);
      names.push(...(page.Stacks ?? []).map((s) => s.StackName ?? ''));
    }
    expect(pages).toEqual([100, 100, 50]);
    expect(names[0]).toBe('s249');
    expect(names.at(-1)).toBe('s0');
    expect(new Set(names).size).toBe(250);
    expect(env.fake.count({ service: 'cloudformation', action: 'DescribeStacks' })).toBe(3);
    const bad = await rejection(env.cfn.send(new DescribeStacksCommand({ NextToken: 'garbage' })));
    expect(bad.name).toBe('ValidationError');
  });

  it('keeps pages stable when stacks are created between pages', async () => {
    for (let i = 0; i < 150; i++) env.fake.addStack({ name: `s${i}` });
    const first = await env.cfn.send(new DescribeStacksCommand({}));
    env.fake.addStack({ name: 'late' });
    const second = await env.cfn.send(new DescribeStacksCommand({ NextToken: first.NextToken }));
    expect(first.Stacks?.at(-1)?.StackName).toBe('s50');
    expect(second.Stacks?.map((s) => s.StackName)).toEqual(Array.from({ length: 50 }, (_, i) => `s${49 - i}`));
    expect(second.NextToken).toBeUndefined();
  });

  it('pages stack events newest first, 100 at a time', async () => {
    const resources = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`Queue${i}`, { Type: 'AWS::SQS::Queue' }]));
    const { StackId } = await env.cfn.send(new CreateStackCommand({ StackName: 'big', TemplateBody: JSON.stringify({ Resources: resources }) }));
    env.clock.advance(60_000);
    const all: string[] = [];
    const sizes: number[] = [];
    for await (const page of paginateDescribeStackEvents({ client: env.cfn }, { StackName: StackId })) {
      sizes.push(page.StackEvents?.length ?? 0);
      all.push(...(page.StackEvents ?? []).map((e) => e.EventId ?? ''));
    }
    expect(sizes).toEqual([100, 22]);
    const oldestFirst = env.fake.stack('big')?.events.map((e) => e.eventId) ?? [];
    expect(all).toEqual([...oldestFirst].reverse());
    // A token stays valid while new events arrive.
    const first = await env.cfn.send(new DescribeStackEventsCommand({ StackName: 'big' }));
    await env.cfn.send(new DeleteStackCommand({ StackName: 'big' }));
    env.clock.advance(60_000);
    const next = await env.cfn.send(new DescribeStackEventsCommand({ StackName: StackId, NextToken: first.NextToken }));
    expect(next.StackEvents?.map((e) => e.EventId)).toEqual(all.slice(100));
  });

  it('lists stacks with summaries, deleted ones included, filtered by status', async () => {
    env.fake.addStack({ name: 'a' });
    env.fake.addStack({ name: 'b', status: 'ROLLBACK_COMPLETE' });
    env.fake.addStack({ name: 'c', status: 'DELETE_COMPLETE' });
    const all = await env.cfn.send(new ListStacksCommand({}));
    expect(all.StackSummaries?.map((s) => `${s.StackName} ${s.StackStatus}`)).toEqual(['c DELETE_COMPLETE', 'b ROLLBACK_COMPLETE', 'a CREATE_COMPLETE']);
    const some = await env.cfn.send(new ListStacksCommand({ StackStatusFilter: ['CREATE_COMPLETE', 'ROLLBACK_COMPLETE'] }));
    expect(some.StackSummaries?.map((s) => s.StackName)).toEqual(['b', 'a']);
    expect(some.StackSummaries?.[0]?.CreationTime).toBeInstanceOf(Date);
  });
});
