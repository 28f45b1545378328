/**
 * `elasticrtc-node controller --nodes … --secret-file …` serves the inspector too (the built
 * bundle, as docs/inspector.md shows), with the secret's inspector login.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NodeView } from '../../src/node/controller/inspector/views.js';
import { type FakeKms, startFakeKms } from '../support/fake-kms/index.js';
import { login, postLogin } from '../support/inspector-http.js';
import { testSecret } from '../support/node-inputs.js';

const secret = testSecret({ inspectorUser: 'operator', inspectorPassword: 'S3cret-inspector' });
const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

describe('elasticrtc-node controller serves the inspector', () => {
  it('with the login of --secret-file, over the Kurento servers of --nodes', async () => {
    const nodes: FakeKms[] = await Promise.all([0, 1].map(() => startFakeKms({ path: secret.apiKey })));
    cleanup.push(() => Promise.all(nodes.map((n) => n.close())));
    const dir = mkdtempSync(join(tmpdir(), 'inspector-cli-'));
    writeFileSync(join(dir, 'secret.json'), JSON.stringify(secret));
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/elasticrtc-node.js', 'controller', '--listen', `127.0.0.1:${port}`, '--nodes', nodes.map((n) => n.url).join(','), '--secret-file', join(dir, 'secret.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    cleanup.push(() => child.kill('SIGTERM'));
    const base = `http://127.0.0.1:${port}`;
    await expect.poll(() => fetch(`${base}/healthz`).then((r) => r.status, () => 0), { timeout: 10_000 }).toBe(200);
    expect(stderr).toContain(`listening on 127.0.0.1:${port} (inspector: http://127.0.0.1:${port}/inspector)`);
    expect((await fetch(`${base}/inspector/api/nodes`)).status).toBe(401);
    expect((await postLogin(base, 'operator', secret.apiKey)).status).toBe(401);
    const s = await login(base, 'operator', 'S3cret-inspector');
    await expect.poll(async () => ((await (await s.get('/inspector/api/nodes')).json()) as { nodes: NodeView[] }).nodes.map((n) => n.state), { timeout: 5_000 }).toEqual(['UP', 'UP']);
    expect(stderr).toContain('inspector: operator logged in from 127.0.0.1');
    expect(stderr).not.toContain(secret.apiKey);
    expect(stderr).not.toContain('S3cret-inspector');
  });
});
