// Peer for scripts/bench: npm `dockerfile-ast` (pure JavaScript, used by VS Code's Docker tooling).
//
// Usage: node node_dockerfile_ast.js --check LIST        -> JSON {"failed": [[path, error], ...]}
//        node node_dockerfile_ast.js --min-seconds S LIST -> JSON lines, same fields as benches/parse.rs
// Resolves dockerfile-ast through NODE_PATH (scripts/bench points it at .bench/node/node_modules).
//
// Same method as the Rust bench: load everything first, one warm-up pass, then whole passes on
// one thread until >= S seconds and >= 5 passes; report the median pass.
'use strict';
const fs = require('fs');
const { DockerfileParser } = require('dockerfile-ast');
const { version } = require('dockerfile-ast/package.json');

// parse() splits the file into instructions eagerly, but an instruction's words are only
// computed when asked for, so there are two rows: instructions only, and with arguments.
function instructionsOnly(text) {
    return DockerfileParser.parse(text).getInstructions().length;
}
function withArguments(text) {
    let n = 0;
    for (const instruction of DockerfileParser.parse(text).getInstructions()) {
        n += instruction.getArguments().length;
    }
    return n;
}

function bench(tool, parseOne, texts, bytes, minSeconds) {
    let sink = 0; // consumed below so V8 cannot drop the work
    const onePass = () => {
        const start = process.hrtime.bigint();
        for (const text of texts) sink += parseOne(text);
        return Number(process.hrtime.bigint() - start) / 1e9;
    };
    onePass(); // warm-up (also lets the JIT compile the hot paths)
    const times = [];
    let total = 0;
    while (total < minSeconds || times.length < 5) {
        const t = onePass();
        times.push(t);
        total += t;
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    if (sink < 0) throw new Error('unreachable');
    console.log(JSON.stringify({
        tool, files: texts.length, bytes, passes: times.length,
        seconds_per_pass: median, best_seconds_per_pass: times[0],
        mb_per_s: bytes / 1e6 / median, files_per_s: texts.length / median,
    }));
}

const args = process.argv.slice(2);
const listPath = args[args.length - 1];
const paths = fs.readFileSync(listPath, 'utf8').split('\n').filter((l) => l.trim() !== '');
const texts = paths.map((p) => fs.readFileSync(p, 'utf8'));

if (args.length === 2 && args[0] === '--check') {
    const failed = [];
    paths.forEach((p, i) => {
        try {
            withArguments(texts[i]);
        } catch (e) {
            failed.push([p, String(e)]);
        }
    });
    console.log(JSON.stringify({ failed }));
} else if (args.length === 3 && args[0] === '--min-seconds') {
    const bytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t, 'utf8'), 0);
    const minSeconds = Number(args[1]);
    bench(`dockerfile-ast ${version} (Node)`, instructionsOnly, texts, bytes, minSeconds);
    bench(`dockerfile-ast ${version} (Node, + arguments)`, withArguments, texts, bytes, minSeconds);
} else {
    console.error('usage: node_dockerfile_ast.js (--check | --min-seconds S) LIST');
    process.exit(2);
}
