import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every relative link of README.md and docs/*.md leads to a file that exists, and an `#anchor` into a Markdown file to one of its headings. */

const ROOT = new URL('../../', import.meta.url);
const DOCS = ['README.md', ...readdirSync(new URL('docs/', ROOT)).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/** Where the checker reads: the repository, or a few files in memory for its own test. */
interface Files {
  exists(path: string): boolean;
  read(path: string): string;
}
const repository: Files = {
  exists: (path) => existsSync(new URL(path, ROOT)),
  read: (path) => readFileSync(new URL(path, ROOT), 'utf8'),
};

/** The Markdown with fenced code blocks blanked: what is written there is an example. */
function outsideFences(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker) fence = marker;
    else if (fence !== undefined && marker?.startsWith(fence)) fence = undefined;
    else if (fence === undefined) return line;
    return '';
  });
}

/** The Markdown with code blocks and code spans blanked: a link written there is an example, not a link. */
const prose = (markdown: string): string =>
  outsideFences(markdown)
    .map((line) => line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, (code) => ' '.repeat(code.length)))
    .join('\n');

/** Targets of inline links and images, reference definitions and HTML `href`/`src` attributes. */
export function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)].map((m) => m[1]!.replace(/^<|>$/g, ''));
  const references = [...text.matchAll(/^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gm)].map((m) => m[1]!.replace(/^<|>$/g, ''));
  const html = [...text.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!);
  return [...inline, ...references, ...html];
}

/** GitHub's id for a heading's text (github-slugger): lowercase, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '');
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** The anchors a Markdown file offers: its headings' ids (repeats get -1, -2, …) and explicit `id`/`name` anchors. */
export function anchors(markdown: string): Set<string> {
  const lines = outsideFences(markdown);
  const seen = new Map<string, number>();
  const ids = new Set<string>();
  lines.forEach((line, i) => {
    const atx = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    const previous = lines[i - 1] ?? '';
    const setext = /^ {0,3}(=+|-+)\s*$/.test(line) && previous.trim() !== '' && !/^\s*[|#>-]/.test(previous) ? previous.trim() : undefined;
    const heading = atx ?? setext;
    if (heading === undefined) return;
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  });
  for (const m of markdown.matchAll(/<a\s[^>]*\b(?:id|name)\s*=\s*["']([^"']+)["']/g)) ids.add(m[1]!);
  return ids;
}

/** The broken relative links of one file, each as `target: why`. */
export function brokenLinks(file: string, files: Files): string[] {
  const broken: string[] = [];
  for (const target of linkTargets(files.read(file))) {
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(target)) continue; // https:, mailto:, …: not a file of this repository
    const [rawPath = '', anchor] = target.split('#', 2);
    const path = decodeURIComponent(rawPath);
    const resolved = path === '' ? file : posix.normalize(posix.join(posix.dirname(file), path));
    if (resolved.startsWith('../') || posix.isAbsolute(path)) {
      broken.push(`${target}: leaves the repository or is absolute`);
    } else if (!files.exists(resolved)) {
      broken.push(`${target}: no file ${resolved}`);
    } else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(files.read(resolved)).has(decodeURIComponent(anchor).toLowerCase())) {
      broken.push(`${target}: no heading #${anchor} in ${resolved}`);
    }
  }
  return broken;
}

describe('relative links in README.md and docs/*.md', () => {
  it.each(DOCS)('%s: every one resolves', (file) => {
    expect(brokenLinks(file, repository)).toEqual([]);
  });

  it('are checked at all: README.md links the docs', () => {
    expect(linkTargets(repository.read('README.md'))).toContain('docs/commands.md');
    expect(DOCS).toContain('docs/template.md');
  });
});

describe('the link checker', () => {
  const memory = (docs: Record<string, string>): Files => ({
    exists: (path) => path in docs || Object.keys(docs).some((f) => f.startsWith(`${path}/`)),
    read: (path) => docs[path] ?? '',
  });

  it('reports a missing file, a missing heading and a path out of the repository', () => {
    const files = memory({
      'README.md': '[a](docs/a.md) [gone](docs/gone.md) [b](docs/a.md#nowhere) [up](../x.md)\n',
      'docs/a.md': '# A\n',
    });
    expect(brokenLinks('README.md', files)).toEqual([
      'docs/gone.md: no file docs/gone.md',
      'docs/a.md#nowhere: no heading #nowhere in docs/a.md',
      '../x.md: leaves the repository or is absolute',
    ]);
  });

  it('accepts headings as GitHub names them, repeated ones, own anchors and explicit ids', () => {
    const files = memory({
      'docs/a.md': [
        '# The cluster stack',
        '## `create --stack-name N [flags]`',
        '## Done outside the template, before the stack',
        '## Logs',
        '## Logs',
        'Setext heading',
        '--------------',
        '<a id="custom"></a>',
        '[1](#create---stack-name-n-flags) [2](#done-outside-the-template-before-the-stack) [3](#logs-1) [4](#setext-heading) [5](#custom)',
        '[6](b.md#b) ![7](img/x.png "title") [8]: b.md <a href="b.md#b">9</a>',
      ].join('\n'),
      'docs/b.md': 'B\n=\n',
      'docs/img/x.png': '',
    });
    expect(brokenLinks('docs/a.md', files)).toEqual([]);
  });

  it('ignores links to the web and links inside code', () => {
    const files = memory({ 'README.md': '[w](https://example.com/x.md) [m](mailto:a@b.c)\n`[c](gone.md)`\n```md\n[d](gone.md)\n```\n' });
    expect(brokenLinks('README.md', files)).toEqual([]);
  });
});
