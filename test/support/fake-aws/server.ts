/** The HTTP side: one endpoint on 127.0.0.1 for every service, with recording, latency and drops. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acm } from './acm.js';
import { autoScaling } from './autoscaling.js';
import { cloudFormation } from './cloudformation.js';
import { cloudWatch } from './cloudwatch.js';
import { credentialScope, dispatch, serviceOf } from './dispatch.js';
import { ec2 } from './ec2.js';
import type { Faults } from './faults.js';
import { parseForm } from './form.js';
import { jsonWire } from './protocol-json.js';
import { queryWire } from './protocol-query.js';
import { restXmlWire } from './protocol-rest-xml.js';
import { route53 } from './route53.js';
import { s3 } from './s3.js';
import { secretsManager } from './secretsmanager.js';
import { sqs } from './sqs.js';
import { sts } from './sts.js';
import type { HttpCall, Wire } from './wire.js';
import type { World } from './world.js';

/** Every service the endpoint serves. */
export const SERVICES: Wire[] = [
  ...[cloudFormation, ec2, autoScaling, sts].map(queryWire),
  ...[s3, route53].map(restXmlWire),
  ...[acm, secretsManager, cloudWatch, sqs].map(jsonWire),
];

/** One request as recorded. `status` is 0 for a dropped connection. */
export interface RecordedRequest {
  /** SigV4 signing name: `cloudformation`, `ec2`, `autoscaling`, `sts`, `s3`, `route53`, `acm`, `secretsmanager`, `monitoring` (CloudWatch), `sqs`. */
  service: string;
  /** The operation: `CreateStack`, `HeadBucket`, `GetHostedZone`, `ImportCertificate`, … */
  action: string;
  /** `now()` when the request arrived. */
  at: number;
  /** Query protocols: the form fields. REST-XML: path labels and query string. JSON: top-level fields (non-strings as JSON), gzip bodies decoded. */
  params: Record<string, string>;
  status: number;
  /** The access key id of the SigV4 `Authorization` header; absent for unsigned requests. */
  accessKeyId?: string;
}

/** A running endpoint. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts the endpoint; `port` 0 lets the OS choose. */
export async function startServer(world: World, faults: Faults, requests: RecordedRequest[], port = 0): Promise<RunningServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const body = raw.toString('utf8');
    const t = world.options.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const isForm = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const call: HttpCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      raw,
      form: parseForm(url.search.slice(1), isForm ? body : ''),
      authorization: req.headers.authorization,
      t,
    };
    const service = serviceOf(SERVICES, call);
    const wire = SERVICES.find((w) => w.name === service);
    const { action, params } = wire ? wire.operation(call) : { action: call.form.Action ?? '', params: call.form };
    const { accessKeyId } = credentialScope(call.authorization);
    const record: RecordedRequest = { service, action, at: t, params, status: 0, ...(accessKeyId ? { accessKeyId } : {}) };
    requests.push(record);
    const answer = await dispatch(world, faults, SERVICES, call, service, action);
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (answer === 'drop') {
      req.socket.destroy();
      return;
    }
    record.status = answer.status;
    res.writeHead(answer.status, { ...answer.headers, 'Content-Length': answer.headers['Content-Length'] ?? Buffer.byteLength(answer.body) });
    res.end(call.method === 'HEAD' ? undefined : answer.body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  world.endpointUrl = `http://127.0.0.1:${bound}`;
  return {
    url: world.endpointUrl,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const poller of [...world.pollers]) poller.cancel();
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
