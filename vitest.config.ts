import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { yamlTemplates } from './scripts/yaml-plugin.js';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Files that play media in real time or drive a browser (ffmpeg, GStreamer, coturn, Chromium). They
 * run first, one at a time, as the whole suite once did (project `media`): with other files beside
 * them, the moments they act at slip (audio-archive-ha failed in 2 of 8 full runs with the other
 * files beside it and once beside a single other media file, never in 11 runs alone). A new file of
 * this kind belongs here.
 */
const MEDIA = [
  'test/browser/**/*.test.ts',
  'test/node/audio-archive-ha*.test.ts',
  'test/node/audio-archive-command.test.ts',
  'test/node/cameras-*.test.ts',
  'test/node/kvs-relay*.test.ts',
  'test/node/coturn*.test.ts',
];

/**
 * Runs the end-to-end files (test/e2e/) first, each kind otherwise in Vitest's own order. They are
 * the longest files and mostly wait (the CLI polls the fake AWS every 2 s in real time): started
 * first, they leave no long file running alone at the end while the many short files fill the gaps.
 * (Vitest's own order puts what took longest last time first, but CI starts without that record, from
 * a fresh node_modules, and then sorts by file size.)
 */
class EndToEndFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const later = (f: TestSpecification) => (f.moduleId.includes('/test/e2e/') ? 0 : 1);
    // Array.prototype.sort is stable: within each kind, Vitest's order stays.
    return (await super.sort(files)).sort((a, b) => later(a) - later(b));
  }
}

export default defineConfig({
  plugins: [yamlTemplates()],
  define: { __ELASTICRTC_VERSION__: JSON.stringify(pkg.version) },
  test: {
    pool: 'forks',
    // Three files per core, not Vitest's default of one per core less one (a single file at a time on
    // a 2-core machine): most files wait on timers, child processes and sockets far more than they
    // compute. Capped so a large machine does not start dozens of processes. (The media files: below.)
    maxWorkers: Math.min(12, 3 * availableParallelism()),
    // Concurrent tests (or describe blocks) at a time within one file. The end-to-end files run theirs
    // side by side, each starting the CLI again and again. With 6 files at a time, 2 each keeps the
    // CPU busy and no test takes much more than twice its time alone; 5 each (the default) made some
    // take 4 times as long, past their timeout.
    maxConcurrency: 2,
    sequence: { sequencer: EndToEndFirst },
    // Tests run on Node 20 with the SDK in process: its notice about its future Node.js support is noise.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The media files first, alone and one at a time, on a machine nothing else runs on yet; then all
    // the others. (Group 0 is not used: Vitest runs a group 0 of a single worker last.)
    projects: [
      { extends: true, test: { name: 'media', include: MEDIA, maxWorkers: 1, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...MEDIA], sequence: { groupOrder: 2 } } },
    ],
  },
});
