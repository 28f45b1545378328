/** The query protocol (CloudFormation, Auto Scaling, STS) and EC2's variant of it, as a {@link Wire}. */
import { AwsError } from './errors.js';
import type { ServiceDef } from './service.js';
import type { Reply, Wire } from './wire.js';
import { children, escapeXml, type XmlObject } from './xml.js';

function success(def: ServiceDef, action: string, result: XmlObject | undefined, requestId: string): string {
  if (def.protocol === 'ec2') {
    return `<${action}Response xmlns="${def.xmlns}"><requestId>${requestId}</requestId>${children(result ?? {}, 'item')}</${action}Response>`;
  }
  const body = result ? `<${action}Result>${children(result, 'member')}</${action}Result>` : '';
  return `<${action}Response xmlns="${def.xmlns}">${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

/** The XML error answer of the query protocol (or EC2's when `protocol` is `ec2`). */
export function queryFailure(protocol: 'query' | 'ec2', xmlns: string, e: AwsError, requestId: string): string {
  const code = escapeXml(e.code);
  const message = escapeXml(e.message);
  if (protocol === 'ec2') return `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
  const error = `<Error><Type>${e.faultType}</Type><Code>${code}</Code><Message>${message}</Message></Error>`;
  return `<ErrorResponse xmlns="${xmlns}">${error}<RequestId>${requestId}</RequestId></ErrorResponse>`;
}

const reply = (status: number, body: string, requestId: string): Reply => ({ status, body, headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId } });

/** A query-protocol service definition as a {@link Wire}. */
export function queryWire(def: ServiceDef): Wire {
  return {
    name: def.name,
    faultStyle: def.protocol,
    claims: (call) => Object.hasOwn(def.actions, call.form.Action ?? ''),
    operation: (call) => ({ action: call.form.Action ?? '', params: call.form }),
    answer: (action, call, world, requestId) => {
      const handler = Object.hasOwn(def.actions, action) ? def.actions[action] : undefined;
      if (!handler) return undefined;
      return reply(200, success(def, action, handler({ params: call.form, t: call.t, world }), requestId), requestId);
    },
    unknown: (action, call) => new AwsError('InvalidAction', `Could not find operation ${action} for version ${call.form.Version ?? def.version}`),
    error: (e, _call, requestId) => reply(e.status, queryFailure(def.protocol, def.xmlns, e, requestId), requestId),
  };
}
