#!/usr/bin/env node
'use strict';

// `policy-check` on the PATH of an npm project: runs the binary of this platform's package
// (or $POLICY_CHECK_BINARY) with the same arguments, stdio and exit code.

const { spawnSync } = require('node:child_process');
const { binaryPath } = require('../index.js');

let binary;
try {
  binary = binaryPath();
} catch (e) {
  process.stderr.write(`policy-check: ${e.message}\n`);
  process.exit(2);
}
const r = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit' });
if (r.error) {
  process.stderr.write(`policy-check: cannot run ${binary}: ${r.error.message}\n`);
  process.exit(2);
}
if (r.signal) process.kill(process.pid, r.signal);
process.exit(r.status);
