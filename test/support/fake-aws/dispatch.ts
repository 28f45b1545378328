/**
 * Turns one HTTP request into an answer: finds the service (SigV4 credential scope, else what the
 * request looks like), applies injected faults, runs the handler and writes the protocol's answer.
 */
import { AwsError } from './errors.js';
import type { Faults } from './faults.js';
import { uuid } from './ids.js';
import { injectedError, type InjectedKind } from './injected-errors.js';
import { queryFailure } from './protocol-query.js';
import type { World } from './world.js';
import type { HttpCall, Reply, Wire } from './wire.js';

/** One answer; `drop` means: destroy the connection instead. */
export type Answer = (Reply & { requestId: string }) | 'drop';

/** Service signing name, region and access key id from a SigV4 `Authorization` header. */
export function credentialScope(authorization: string | undefined): { service?: string; region?: string; accessKeyId?: string } {
  const m = /Credential=([^/,\s]+)\/[^/]+\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return m ? { accessKeyId: m[1], region: m[2], service: m[3] } : {};
}

/** Which service a request is for. */
export function serviceOf(wires: Wire[], call: HttpCall): string {
  const scoped = credentialScope(call.authorization).service;
  if (scoped) return scoped;
  return wires.find((w) => w.claims(call))?.name ?? 'unknown';
}

/** Answers one call; `service` and `action` are as recorded. Settles at once except for long polls. */
export async function dispatch(world: World, faults: Faults, wires: Wire[], call: HttpCall, service: string, action: string): Promise<Answer> {
  const requestId = uuid();
  const wire = wires.find((w) => w.name === service);
  const fail = (e: AwsError): Answer => {
    if (wire) return { ...wire.error(e, call, requestId), requestId };
    return { status: e.status, headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId }, body: queryFailure('query', '', e, requestId), requestId };
  };
  const inject = (kind: InjectedKind): Answer =>
    fail(injectedError(kind, { style: wire?.faultStyle ?? 'query', accountId: world.options.accountId, service, action, serverErrorCode: wire?.serverErrorCode }));
  const fault = faults.take(service, action);
  if (fault === 'drop') return 'drop';
  if (fault) return inject(fault);
  const key = credentialScope(call.authorization).accessKeyId;
  const rejected = key === undefined ? undefined : faults.rejectedKeys.get(key);
  if (rejected) return inject(rejected);
  if (faults.denied.has(action)) return inject('denied');
  if (!wire) return fail(new AwsError('InvalidAction', `The fake AWS server does not serve ${service} (action ${action})`));
  try {
    const reply = await wire.answer(action, call, world, requestId);
    return reply ? { ...reply, requestId } : fail(wire.unknown(action, call));
  } catch (e) {
    if (e instanceof AwsError) return fail(e);
    const style = wire.faultStyle;
    const code = style === 'ec2' || style === 's3' ? 'InternalError' : (wire.serverErrorCode ?? 'InternalFailure');
    return fail(new AwsError(code, `Fake AWS server bug: ${(e as Error).stack ?? String(e)}`, 500));
  }
}
