/**
 * Kurento's files as KMS reads them: boost::property_tree (KMS's reader) parses what `configure`
 * writes, and KMS's rules are applied to the result (module file → subtree, turnURL pattern, websocket
 * path, GStreamer log thresholds). Sources: Kurento/kurento server/media-server/server/loadConfig.cpp,
 * server/module-elements/src/gst-plugins/webrtcendpoint/kmswebrtcsession.c, GStreamer gstinfo.c.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { type NodeFile, nodeFiles } from '../../src/node/config/files.js';
import { GST_DEBUG, MODULES_CONFIG_PATH, RTP_PORTS } from '../../src/node/config/kurento.js';
import { readPtree, type Tree } from '../support/boost/boost-ptree.js';
import { NOW, nodeInputs } from '../support/node-inputs.js';

/** KMS's turnURL pattern (kmswebrtcsession.c, identical from 6.7 to 7.3), in JavaScript's regex syntax. */
const KMS_TURN_URL = /^(?<user>.+):(?<password>.+)@(?<address>[0-9.]+):(?<port>[0-9]+)(\?transport=(?<transport>(udp|tcp|tls)))?$/;

function writeAll(files: NodeFile[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'node-files-'));
  for (const f of files.filter((x) => x.kind === 'config')) {
    const path = join(dir, f.path);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, f.content);
  }
  return dir;
}

/** The module subtree KMS builds from `<modules dir>/kurento/<Class>.conf.ini` (loadConfig.cpp: folder stems joined with dots). */
const moduleTree = (dir: string, cls: string): Tree => readPtree('ini', join(dir, 'kurento', 'modules', 'kurento', `${cls}.conf.ini`));
const at = (tree: Tree, key: string): string | undefined => (typeof tree === 'object' && typeof tree[key] === 'string' ? tree[key] : undefined);

/** GStreamer's threshold for a category: the last pattern that matches wins (gst_debug_set_threshold_from_string). */
function gstLevel(spec: string, category: string): number {
  let level = 0;
  for (const part of spec.split(',')) {
    const [pattern, value] = part.includes(':') ? part.split(':') : ['*', part];
    const re = new RegExp(`^${(pattern ?? '').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    if (re.test(category)) level = Number(value);
  }
  return level;
}

describe('Kurento configuration as KMS reads it', () => {
  const inputs = nodeInputs();
  let dir: string;
  beforeAll(() => {
    dir = writeAll(nodeFiles(inputs));
  });

  it('puts WebRtcEndpoint keys at the top of the module tree (no [section] header)', () => {
    const tree = moduleTree(dir, 'WebRtcEndpoint');
    expect(at(tree, 'externalIPv4')).toBe('203.0.113.10');
    expect(at(tree, 'pemCertificateRSA')).toBe('/etc/elasticrtc/kurento/dtls.pem');
    expect(at(tree, 'turnURL')).toBeDefined();
    expect(Object.values(tree as object).every((v) => typeof v === 'string')).toBe(true);
  });

  it('would catch a section header: boost nests the keys where KMS never looks', () => {
    const bad = join(dir, 'with-header.ini');
    writeFileSync(bad, '[WebRtcEndpoint]\nexternalIPv4=203.0.113.10\n');
    const tree = readPtree('ini', bad);
    expect(at(tree, 'externalIPv4')).toBeUndefined();
  });

  it('gives KMS a TURN URL its pattern reads as the REST credential coturn checks', () => {
    const url = at(moduleTree(dir, 'WebRtcEndpoint'), 'turnURL') ?? '';
    const m = KMS_TURN_URL.exec(url);
    expect(m?.groups).toMatchObject({ address: '10.0.0.10', port: '3478' });
    const user = m?.groups?.user ?? '';
    const [expiry, name] = user.split(':');
    expect(name).toBe('kms');
    const lifetime = Number(expiry) - NOW / 1000;
    expect(lifetime).toBeGreaterThan(3600);
    expect(lifetime).toBeLessThanOrEqual(3 * 86_400);
    expect(m?.groups?.password).toBe(createHmac('sha1', inputs.secret.turnSecret).update(user).digest('base64'));
  });

  it('leaves TURN out when it is off', () => {
    const off = writeAll(nodeFiles(nodeInputs({ TURN: 'false' })));
    expect(at(moduleTree(off, 'WebRtcEndpoint'), 'turnURL')).toBeUndefined();
  });

  it('keeps the RTP ports inside the range the template opens', () => {
    const tree = moduleTree(dir, 'BaseRtpEndpoint');
    expect(Number(at(tree, 'minPort'))).toBe(RTP_PORTS.min);
    expect(Number(at(tree, 'maxPort'))).toBe(RTP_PORTS.max);
    const template = parse(readFileSync('templates/cluster.yaml', 'utf8')) as { Resources: Record<string, { Properties: { SecurityGroupIngress?: { IpProtocol: string; FromPort: number; ToPort: number }[] } }> };
    const rules = template.Resources.NodeSecurityGroup?.Properties.SecurityGroupIngress ?? [];
    for (const proto of ['udp', 'tcp']) {
      expect(rules.some((r) => r.IpProtocol === proto && r.FromPort <= RTP_PORTS.min && r.ToPort >= RTP_PORTS.max)).toBe(true);
    }
  });

  it('serves the api key as the WebSocket path KMS compares (no leading slash) and sets the session window', () => {
    const tree = readPtree('json', join(dir, 'kurento', 'kurento.conf.json')) as Record<string, Record<string, Record<string, Record<string, string>>>>;
    const ws = tree.mediaServer?.net?.websocket as unknown as Record<string, string>;
    expect(ws.path).toBe(inputs.secret.apiKey);
    expect(ws.port).toBe('8888');
    expect((tree.mediaServer?.resources as unknown as Record<string, string>).garbageCollectorPeriod).toBe('30');
  });

  it('follows --session-reconnection-time in the garbage collector period', () => {
    const other = writeAll(nodeFiles(nodeInputs({ RECONNECTION_TIME: '120' })));
    const tree = readPtree('json', join(other, 'kurento', 'kurento.conf.json')) as Record<string, Record<string, Record<string, string>>>;
    expect(tree.mediaServer?.resources?.garbageCollectorPeriod).toBe('120');
  });

  it('reads our module directory after the image\'s own, so defaults (codecs) stay and ours win', () => {
    expect(MODULES_CONFIG_PATH.split(':')).toEqual(['/etc/kurento/modules', '/etc/elasticrtc/kurento/modules']);
  });

  it('holds the configuration dump and request logs below the level that prints them', () => {
    expect(gstLevel(GST_DEBUG, 'KurentoLoadConfig')).toBeLessThan(4); // INFO prints "Loaded config in effect"
    expect(gstLevel(GST_DEBUG, 'KurentoWebSocketTransport')).toBeLessThan(5); // DEBUG prints requests
    expect(gstLevel(GST_DEBUG, 'KurentoWebSocketRegistrar')).toBeLessThan(5);
    expect(gstLevel(GST_DEBUG, 'KurentoWebRtcEndpointImpl')).toBe(4); // the rest of Kurento still logs at INFO
    expect(gstLevel('2,Kurento*:4', 'KurentoLoadConfig')).toBe(4); // the image default would print it
  });
});
