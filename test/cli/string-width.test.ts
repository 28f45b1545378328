import realStringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import stringWidth from '../../src/cli/string-width.js';

describe('the CLI bundle’s string width (in place of the string-width package)', () => {
  it.each([
    'plain ASCII help text [default: 75=10]',
    'the cluster’s DNS name, origins…, Kurento’s group call demo',
    '\u001b[1mbold\u001b[22m and \u001b[31mred\u001b[39m',
    'café, naïve, Ångström',
    'e\u0301 (a combining accent)',
    '日本語のテキスト',
    '한국어',
    'ｆｕｌｌｗｉｄｔｈ',
    'emoji 🎉 and 🤖',
    '',
  ])('measures %j as the package does', (text) => {
    expect(stringWidth(text)).toBe(realStringWidth(text));
  });

  it('measures every help cell of the tool as the package does', async () => {
    const { commands } = await import('../../src/main.js');
    const { testContext } = await import('../support/context.js');
    const { parseCommandLine } = await import('../../src/cli/parse-args.js');
    const verbs = commands(testContext({}).ctx);
    for (const argv of [['--help'], ...verbs.map((v) => [v.name, '--help'])]) {
      const out = parseCommandLine(argv, verbs, 200);
      for (const line of out.kind === 'text' ? out.text.split('\n') : []) expect(stringWidth(line), line).toBe(realStringWidth(line));
    }
  });
});
