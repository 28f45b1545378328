#!/usr/bin/env node
// The node runtime (docs/node.md): its own bundle, so the CLI's start-up never loads it.
'use strict';
const { main, createNodeProcessContext } = require('../dist/node.cjs');

main(process.argv.slice(2), createNodeProcessContext()).then((code) => {
  process.exitCode = code;
});
