// Node linters for scripts/bench: npm `dockerfile-utils` (its `validate`, the checks behind VS Code's
// Docker language server) and npm `dockerfilelint` (only its per-file check, see --check).
//
// Usage: node node_linters.js lint FILE...                -> JSON [{file, diagnostics}], like a CLI
//        node node_linters.js check TOOL FILE...          -> JSON {"failed": [[path, error], ...]}
// TOOL is `dockerfile-utils` or `dockerfilelint`. Resolves the packages through NODE_PATH
// (scripts/bench points it at .bench/node/node_modules).
//
// `lint` is what scripts/bench times as a whole process (start Node, load the package, read and
// validate every file, print JSON), the way a small CLI around `validate` would run.
// dockerfilelint has its own CLI, which scripts/bench times directly; `check` finds the files
// that would stop that CLI (it exits on an empty file or when a rule throws) so they can be left
// out of its run and counted instead.
'use strict';
const fs = require('fs');
const path = require('path');

function lintWithDockerfileUtils(files) {
    const { validate } = require('dockerfile-utils');
    const results = files.map((file) => ({ file, diagnostics: validate(fs.readFileSync(file, 'utf8')) }));
    process.stdout.write(JSON.stringify(results));
}

const CHECKS = {
    'dockerfile-utils': () => {
        const { validate } = require('dockerfile-utils');
        return (file, text) => validate(text);
    },
    dockerfilelint: () => {
        const dockerfilelint = require('dockerfilelint');
        return (file, text) => {
            if (text.length === 0) throw new Error('empty file (the CLI stops with "Invalid input")');
            return dockerfilelint.run(path.dirname(path.resolve(file)), text);
        };
    },
};

function check(tool, files) {
    const lintOne = CHECKS[tool]();
    const failed = [];
    for (const file of files) {
        try {
            lintOne(file, fs.readFileSync(file, 'utf8'));
        } catch (e) {
            failed.push([file, String(e)]);
        }
    }
    console.log(JSON.stringify({ failed }));
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'lint' && rest.length > 0) {
    lintWithDockerfileUtils(rest);
} else if (mode === 'check' && rest[0] in CHECKS && rest.length > 1) {
    check(rest[0], rest.slice(1));
} else {
    console.error('usage: node_linters.js lint FILE... | node_linters.js check TOOL FILE...');
    process.exit(2);
}
