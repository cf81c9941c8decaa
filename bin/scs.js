#!/usr/bin/env node
// Starts the compiled CLI; everything else lives in src/cli.
import { main } from '../dist/bundle/scs.js';

process.exitCode = await main(process.argv.slice(2));
