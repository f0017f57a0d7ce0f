// Checks the committed test programs against Node.js (V8), the reference for the legacy
// exception instructions (try/catch/rethrow/delegate) that clang's -fwasm-exceptions and SjLj
// lowering emit and wasmtime 48 refuses.
//
// Optional tool (the Rust tests do not need it), the counterpart of verify_wasmtime.py. Runs
// every wasm/NAME.wasm (or the NAMEs given) under node:wasi with the inputs of inputs/ and
// checks stdout and the exit status against expected/; for trap programs (expected/NAME.stderr1)
// that the run ends in a trap, an uncaught exception for `uncaught wasm exception`. Modules V8
// cannot compile (Node 20 lacks the Wasm 3.0 exnref encoding) are reported as skipped.
//
// Usage: node tests/programs/verify_node.mjs [NAME...]      (exit status 0 when all agree)
import { WASI } from 'node:wasi';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const read = (p) => (fs.existsSync(p) ? fs.readFileSync(p) : null);

function lines(text) {
    const v = text.split('\n');
    if (v.length && v[v.length - 1] === '') v.pop();
    return v;
}

function inputs(name) {
    const base = path.join(here, 'inputs', name);
    const args = read(`${base}.args`);
    const env = {};
    for (const l of lines(read(`${base}.env`)?.toString() ?? '')) {
        if (l) env[l.slice(0, l.indexOf('='))] = l.slice(l.indexOf('=') + 1);
    }
    return {
        args: args ? lines(args.toString()) : [],
        env,
        stdin: fs.existsSync(`${base}.stdin`) ? `${base}.stdin` : '/dev/null',
        trapUnknown: (read(`${base}.flags`)?.toString() ?? '').includes('--unknown-imports\ntrap'),
    };
}

// Runs _start; returns {status, stdout, error} (error: what a trap or uncaught exception threw).
async function run(name) {
    const inp = inputs(name);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'w2n-node-'));
    const fds = [fs.openSync(inp.stdin, 'r'), fs.openSync(`${tmp}/out`, 'w'),
        fs.openSync(`${tmp}/err`, 'w')];
    const wasi = new WASI({ version: 'preview1', args: [`${name}.wasm`, ...inp.args],
        env: inp.env, stdin: fds[0], stdout: fds[1], stderr: fds[2], returnOnExit: true });
    const module = await WebAssembly.compile(fs.readFileSync(path.join(here, 'wasm', `${name}.wasm`)));
    const imports = wasi.getImportObject();
    for (const imp of WebAssembly.Module.imports(module)) {
        if (inp.trapUnknown && imp.kind === 'function' && !imports[imp.module]?.[imp.name]) {
            imports[imp.module] ??= {};
            imports[imp.module][imp.name] = () => { throw new Error(`unknown import ${imp.name}`); };
        }
    }
    let status = 0;
    let error = null;
    try {
        status = wasi.start(await WebAssembly.instantiate(module, imports));
    } catch (e) {
        status = 134;
        error = e;
    }
    fds.forEach((fd) => fs.closeSync(fd));
    const stdout = fs.readFileSync(`${tmp}/out`);
    fs.rmSync(tmp, { recursive: true });
    return { status, stdout, error };
}

async function verify(name) {
    const exp = path.join(here, 'expected', name);
    let r;
    try {
        r = await run(name);
    } catch (e) {
        if (e instanceof WebAssembly.CompileError) return { skipped: e.message };
        throw e;
    }
    const problems = [];
    const wantStatus = parseInt(read(`${exp}.status`).toString().trim(), 10);
    if (r.status !== wantStatus) problems.push(`status ${r.status}, expected ${wantStatus}`);
    if (!r.stdout.equals(read(`${exp}.stdout`))) problems.push(`stdout differs:\n${r.stdout}`);
    const trap = read(`${exp}.stderr1`)?.toString().trim();
    if (trap === undefined && r.error) problems.push(`unexpected trap: ${r.error}`);
    if (trap !== undefined) {
        // V8 reports a wasm stack overflow as a RangeError.
        const want = trap.endsWith('uncaught wasm exception') ? WebAssembly.Exception
            : trap.endsWith('call stack exhausted') ? RangeError : WebAssembly.RuntimeError;
        if (!(r.error instanceof want)) problems.push(`expected ${want.name}, got ${r.error}`);
    }
    return { problems, error: r.error };
}

const only = process.argv.slice(2);
const names = fs.readdirSync(path.join(here, 'wasm')).filter((f) => f.endsWith('.wasm'))
    .map((f) => f.slice(0, -5)).filter((n) => !only.length || only.includes(n)).sort();
let failed = 0;
for (const name of names) {
    const v = await verify(name);
    if (v.skipped) {
        console.log(`skip wasm/${name}.wasm (V8 cannot compile it: ${v.skipped})`);
    } else if (v.problems.length) {
        failed++;
        console.log(`FAIL wasm/${name}.wasm\n  ${v.problems.join('\n  ')}`);
    } else {
        const thrown = v.error && `${v.error.constructor.name} ${v.error.message ?? ''}`.trim();
        console.log(`ok   wasm/${name}.wasm${thrown ? ` (node: ${thrown})` : ''}`);
    }
}
console.log(failed ? `${failed} disagree` : 'all agree with node');
process.exitCode = failed ? 1 : 0;
