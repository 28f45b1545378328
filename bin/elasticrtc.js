#!/usr/bin/env node
import { createProcessContext, main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2), createProcessContext());
