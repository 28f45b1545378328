// Loads dist/main.cjs with the V8 code cache the build wrote beside it, skipping most compilation at
// start-up (the technique of v8-compile-cache). Without a cache file, or when this Node's V8 rejects it,
// the code is simply compiled.
'use strict';
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

exports.loadMain = function loadMain(file) {
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const mod = { exports: {} };
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
  return { exports: mod.exports, script };
};
