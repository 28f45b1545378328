/**
 * Turns one HTTP request into an answer: finds the service (SigV4 credential scope, else the
 * action name), applies injected faults, runs the handler and writes the protocol's XML.
 */
import { AwsError } from './errors.js';
import type { Faults } from './faults.js';
import type { Form } from './form.js';
import { uuid } from './ids.js';
import type { ServiceDef } from './service.js';
import type { World } from './world.js';
import { children, escapeXml, type XmlObject } from './xml.js';

/** One answer; `drop` means: destroy the connection instead. */
export type Answer = { status: number; body: string; requestId: string } | 'drop';

/** The parts of a request dispatch needs. */
export interface IncomingCall {
  params: Form;
  authorization?: string;
  t: number;
}

/** Service signing name and access key id from a SigV4 `Authorization` header. */
export function credentialScope(authorization: string | undefined): { service?: string; accessKeyId?: string } {
  const m = /Credential=([^/,\s]+)\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return m ? { accessKeyId: m[1], service: m[2] } : {};
}

/** Which service a request is for. */
export function serviceOf(services: ServiceDef[], call: IncomingCall): string {
  const scoped = credentialScope(call.authorization).service;
  if (scoped) return scoped;
  const action = call.params.Action ?? '';
  return services.find((s) => action in s.actions)?.name ?? 'unknown';
}

function success(def: ServiceDef, action: string, result: XmlObject | undefined, requestId: string): string {
  if (def.protocol === 'ec2') {
    return `<${action}Response xmlns="${def.xmlns}"><requestId>${requestId}</requestId>${children(result ?? {}, 'item')}</${action}Response>`;
  }
  const body = result ? `<${action}Result>${children(result, 'member')}</${action}Result>` : '';
  return `<${action}Response xmlns="${def.xmlns}">${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

function failure(protocol: 'query' | 'ec2', xmlns: string, e: AwsError, requestId: string): string {
  const code = escapeXml(e.code);
  const message = escapeXml(e.message);
  if (protocol === 'ec2') return `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
  const error = `<Error><Type>${e.faultType}</Type><Code>${code}</Code><Message>${message}</Message></Error>`;
  return `<ErrorResponse xmlns="${xmlns}">${error}<RequestId>${requestId}</RequestId></ErrorResponse>`;
}

/** The error an injected fault or an access check produces, in the service's own words. */
function injectedError(protocol: 'query' | 'ec2', kind: string, world: World, service: string, action: string): AwsError {
  const ec2 = protocol === 'ec2';
  const user = `arn:aws:iam::${world.options.accountId}:user/tester`;
  switch (kind) {
    case 'throttle':
      return ec2 ? new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503) : new AwsError('Throttling', 'Rate exceeded', 400);
    case 'serverError':
      return ec2 ? new AwsError('InternalError', 'An internal error has occurred', 500) : new AwsError('InternalFailure', 'An internal error occurred', 500);
    case 'InvalidClientTokenId':
      return ec2
        ? new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401)
        : new AwsError(kind, 'The security token included in the request is invalid.', 403);
    case 'ExpiredToken':
      return ec2 ? new AwsError('RequestExpired', 'Request has expired.', 400) : new AwsError(kind, 'The security token included in the request is expired', 403);
    default: {
      const denied = `User: ${user} is not authorized to perform: ${service}:${action} because no identity-based policy allows the ${service}:${action} action`;
      return ec2 ? new AwsError('UnauthorizedOperation', `You are not authorized to perform this operation. ${denied}`, 403) : new AwsError('AccessDenied', denied, 403);
    }
  }
}

/** Answers one call; `service` and `action` are as recorded. */
export function dispatch(world: World, faults: Faults, services: ServiceDef[], call: IncomingCall, service: string, action: string): Answer {
  const requestId = uuid();
  const def = services.find((s) => s.name === service);
  const protocol = def?.protocol ?? 'query';
  const xmlns = def?.xmlns ?? '';
  const fail = (e: AwsError): Answer => ({ status: e.status, body: failure(protocol, xmlns, e, requestId), requestId });
  const fault = faults.take(service, action);
  if (fault === 'drop') return 'drop';
  if (fault) return fail(injectedError(protocol, fault, world, service, action));
  const key = credentialScope(call.authorization).accessKeyId;
  const rejected = key === undefined ? undefined : faults.rejectedKeys.get(key);
  if (rejected) return fail(injectedError(protocol, rejected, world, service, action));
  if (faults.denied.has(action)) return fail(injectedError(protocol, 'denied', world, service, action));
  const handler = def?.actions[action];
  if (!def || !handler) {
    const message = def ? `Could not find operation ${action} for version ${call.params.Version ?? def.version}` : `The fake AWS server does not serve ${service} (action ${action})`;
    return fail(new AwsError('InvalidAction', message));
  }
  try {
    const result = handler({ params: call.params, t: call.t, world });
    return { status: 200, body: success(def, action, result, requestId), requestId };
  } catch (e) {
    if (e instanceof AwsError) return fail(e);
    return fail(new AwsError(protocol === 'ec2' ? 'InternalError' : 'InternalFailure', `Fake AWS server bug: ${(e as Error).stack ?? String(e)}`, 500));
  }
}
