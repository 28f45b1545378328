#!/usr/bin/env node
// CommonJS (see bin/package.json): Node starts a CommonJS program faster than an ES module one.
'use strict';
const { join } = require('node:path');
const { loadMain } = require('./load-main.cjs');

const { main, createProcessContext } = loadMain(join(__dirname, '..', 'dist', 'main.cjs')).exports;
main(process.argv.slice(2), createProcessContext()).then((code) => {
  process.exitCode = code;
});
