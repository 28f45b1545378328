// Writes the V8 code cache of dist/main.cjs: loads it the way bin/elasticrtc.js does, runs the start-up
// paths (`--help`, a `create --dry-run`) with output discarded so their functions get compiled, then
// saves what V8 compiled next to the file.
'use strict';
const { writeFileSync } = require('node:fs');
const { loadMain } = require('../bin/load-main.cjs');

exports.writeCodeCache = async function writeCodeCache(file) {
  const { exports: main, script } = loadMain(file);
  const silent = { write() {} };
  for (const argv of [['--help'], ['create', '--help']]) {
    const ctx = main.createProcessContext();
    ctx.io = { ...ctx.io, out: silent, err: silent };
    const code = await main.main(argv, ctx);
    if (code !== 0) throw new Error(`warming the code cache: elasticrtc ${argv.join(' ')} exited ${code}`);
  }
  writeFileSync(`${file}.cache`, script.createCachedData());
};
