#!/usr/bin/env node
/** The `retro` executable. */

import { runCli } from './dispatch.ts';

process.exitCode = await runCli(process.argv.slice(2));
