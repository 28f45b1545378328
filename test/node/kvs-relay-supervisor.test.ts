import { describe, expect, it } from 'vitest';
import type { LaunchedProcess, Launcher, ProcessEnd } from '../../src/node/apps/kvs-relay/launcher.js';
import { PipelineSupervisor } from '../../src/node/apps/kvs-relay/supervisor.js';
import { FakeClock } from '../support/context.js';

const URL = 'rtsp://admin:hunter2!@10.0.0.5/live';

/** A launcher of pretend processes the test ends and makes speak. */
class ScriptedLauncher implements Launcher {
  runs: { args: readonly string[]; env: Readonly<Record<string, string | undefined>>; say: (line: string) => void; end: (end: ProcessEnd) => void; killed: string[] }[] = [];
  private waiting: (() => void)[] = [];
  launch(_command: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>, onLine: (line: string) => void): LaunchedProcess {
    let end: (e: ProcessEnd) => void = () => undefined;
    const ended = new Promise<ProcessEnd>((r) => (end = r));
    const run = { args, env, say: onLine, end, killed: [] as string[] };
    this.runs.push(run);
    for (const w of this.waiting.splice(0)) w();
    return { pid: 1000 + this.runs.length, ended, kill: (s) => void (run.killed.push(s), s === 'SIGINT' && end({ code: 0, signal: null })) };
  }
  /** Resolves when run number `n` (1-based) has been launched. */
  async launched(n: number) {
    while (this.runs.length < n) await new Promise<void>((r) => this.waiting.push(r));
    return this.runs[n - 1]!;
  }
}

function setup() {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const launcher = new ScriptedLauncher();
  const lines: string[] = [];
  const supervisor = new PipelineSupervisor({ camera: { name: 'lobby', stream: 'demo-lobby', url: URL }, command: 'gst-launch-1.0', args: ['-e', 'x'], env: {}, launcher, clock, log: (l) => lines.push(l) });
  const abort = new AbortController();
  const done = supervisor.run(abort.signal);
  return { clock, launcher, lines, supervisor, abort, done };
}

const refused = ['ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Could not open resource for reading and writing.', 'Additional debug info:', '../gst/rtsp/gstrtspsrc.c(8336): gst_rtspsrc_retrieve_sdp (): /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0:', 'Failed to connect. (Generic error)', "ERROR: pipeline doesn't want to preroll."];

describe('the kvs-relay pipeline supervisor', () => {
  it('doubles the delay after each end in a row, up to a minute', async () => {
    const { clock, launcher, supervisor, abort, done } = setup();
    for (let n = 1; n <= 9; n++) {
      const run = await launcher.launched(n);
      for (const l of refused) run.say(l);
      run.end({ code: 1, signal: null });
    }
    await launcher.launched(10);
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    expect(supervisor.status()).toMatchObject({ state: 'starting', attempt: 9, restarts: 9, lastError: 'rtspsrc0: Could not open resource for reading and writing. (Failed to connect. (Generic error))' });
    abort.abort();
    await done;
    expect(supervisor.status().state).toBe('stopped');
  });

  it('reports running once the camera accepted PLAY, and starts over from the first delay after a stable run', async () => {
    const { clock, launcher, supervisor, abort, done } = setup();
    for (let n = 1; n <= 3; n++) (await launcher.launched(n)).end({ code: 1, signal: null });
    const run = await launcher.launched(4);
    expect(supervisor.status()).toMatchObject({ state: 'starting', pid: 1004, attempt: 3 });
    run.say('Progress: (request) Sent PLAY request');
    expect(supervisor.status()).toMatchObject({ state: 'running', pid: 1004 });
    clock.time += 29_000; // not yet stable
    run.say('WARNING: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Could not read from resource.');
    run.end({ code: 0, signal: null });
    const next = await launcher.launched(5);
    expect(clock.sleeps.at(-1)).toBe(8000);
    next.say('Progress: (request) Sent PLAY request');
    clock.time += 30_000; // stable
    next.end({ code: 0, signal: null });
    await launcher.launched(6);
    expect(clock.sleeps.at(-1)).toBe(1000);
    expect(supervisor.status()).toMatchObject({ attempt: 1, restarts: 5, lastError: 'the stream ended (EOS) without an error' });
    abort.abort();
    await done;
  });

  it('says why a pipeline cannot start, with the URL masked everywhere', async () => {
    const { launcher, lines, supervisor, abort, done } = setup();
    const run = await launcher.launched(1);
    run.say(`Progress: (connect) Connecting to ${URL}`);
    run.say('ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Unauthorized');
    run.say('Additional debug info:');
    run.say('../gst/rtsp/gstrtspsrc.c(6899): gst_rtspsrc_send (): /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0:');
    run.say(`Unauthorized (401) for ${URL}`);
    run.end({ code: 1, signal: null });
    const second = await launcher.launched(2);
    expect(supervisor.status().lastError).toBe('rtspsrc0: Unauthorized (Unauthorized (401) for rtsp://admin:****@10.0.0.5/live)');
    expect(supervisor.status().url).toBe('rtsp://admin:****@10.0.0.5/live');
    second.say('WARNING: erroneous pipeline: no element "kvssink"');
    second.end({ code: 1, signal: null });
    await launcher.launched(3);
    expect(supervisor.status().lastError).toBe('erroneous pipeline: no element "kvssink"');
    expect(`${lines.join('\n')}${JSON.stringify(supervisor.status())}`).not.toContain('hunter2');
    abort.abort();
    await done;
    expect(launcher.runs[2]!.killed).toEqual(['SIGINT']); // gst-launch -e: the stream ends cleanly
  });

  it('kills a pipeline that does not end after SIGINT', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    let resolveEnd: (e: ProcessEnd) => void = () => undefined;
    const killed: string[] = [];
    const launcher: Launcher = {
      launch: () => ({ pid: 7, ended: new Promise((r) => (resolveEnd = r)), kill: (s) => void (killed.push(s), s === 'SIGKILL' && resolveEnd({ code: null, signal: 'SIGKILL' })) }),
    };
    const supervisor = new PipelineSupervisor({ camera: { name: 'lobby', stream: 's', url: URL }, command: 'gst-launch-1.0', args: [], env: {}, launcher, clock, log: () => undefined });
    const abort = new AbortController();
    const done = supervisor.run(abort.signal);
    await Promise.resolve();
    abort.abort();
    await done;
    expect(killed).toEqual(['SIGINT', 'SIGKILL']);
    expect(clock.sleeps).toEqual([5000]);
  });

  it('reports a gst-launch that cannot run at all', async () => {
    const { launcher, supervisor, abort, done } = setup();
    (await launcher.launched(1)).end({ code: null, signal: null, error: 'cannot run gst-launch-1.0: ENOENT' });
    await launcher.launched(2);
    expect(supervisor.status().lastError).toBe('cannot run gst-launch-1.0: ENOENT');
    abort.abort();
    await done;
  });
});
