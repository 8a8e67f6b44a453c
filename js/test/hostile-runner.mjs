// The hostile-input table (tests/hostile/cases.json) run through the npm package.
//
// Each command runs in a child process (this file with --child), so that a crash, a hang or a
// runaway allocation costs one case: the parent stops the child at the case's time or memory
// limit (watching /proc). The child reports the call's own time, its peak memory
// (process.resourceUsage().maxRSS) and its memory just before the call, which is subtracted
// (Node itself and the input it read are not dockopt's).
//
// Run by node --test through hostile.test.mjs, or alone: node js/test/hostile-runner.mjs [CASE...|heavy]
// Environment: DOCKOPT_HOSTILE_BUILD=release (the package is a release build: heavy cases run,
// time limits are not multiplied), DOCKOPT_HOSTILE_ONLY (comma-separated cases, or `heavy`),
// DOCKOPT_HOSTILE_MODULE (the package folder to test; default: js/).
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const TABLE_PATH = path.join(here, '..', '..', 'tests', 'hostile', 'cases.json')
const RUNNER = 'node'
const WRITES = ['fix', 'optimize'] // (the npm package writes no files: nothing to check)

export function loadTable () {
  return JSON.parse(fs.readFileSync(TABLE_PATH, 'utf8'))
}

// --- generators ---------------------------------------------------------------------------

/** The bytes of a list of pieces (the table's `generators` section). */
export function generate (pieces) {
  const parts = []
  for (const piece of Array.isArray(pieces) ? pieces : [pieces]) {
    if (typeof piece === 'string') {
      parts.push(Buffer.from(piece, 'utf8'))
    } else if ('hex' in piece) {
      parts.push(Buffer.from(piece.hex.replace(/\s+/g, ''), 'hex'))
    } else if ('repeat' in piece) {
      const unit = generate(piece.repeat)
      parts.push(unit.length ? Buffer.alloc(unit.length * piece.times, unit) : unit)
    } else if ('random' in piece) {
      const size = piece.random
      const mask = piece.ascii ? 0x7f : 0xff
      const out = Buffer.alloc(size + 4)
      let x = piece.seed >>> 0
      for (let at = 0; at < size; at += 4) {
        x = (x ^ (x << 13)) >>> 0
        x = (x ^ (x >>> 17)) >>> 0
        x = (x ^ (x << 5)) >>> 0
        out.writeUInt32LE(x, at)
      }
      for (let i = 0; i < size; i++) out[i] &= mask
      parts.push(out.subarray(0, size))
    } else {
      throw new Error(`unknown piece ${JSON.stringify(piece)}`)
    }
  }
  return Buffer.concat(parts)
}

/** Write the case's files into `folder`: bytes written, and whether the files meant to be
 * unreadable are (they are not to root). */
export function materialize (testCase, folder) {
  let written = 0
  const write = (rel, data) => {
    fs.mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true })
    fs.writeFileSync(path.join(folder, rel), data)
    written += data.length
  }
  write('Dockerfile', generate(testCase.input))
  const context = testCase.context ?? {}
  for (const [rel, pieces] of Object.entries(context.files ?? {})) write(rel, generate(pieces))
  for (const [rel, target] of Object.entries(context.symlinks ?? {})) {
    fs.mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true })
    fs.symlinkSync(target, path.join(folder, rel))
  }
  let unreadable = true
  for (const rel of context.unreadable ?? []) {
    const p = path.join(folder, rel.replace(/\/$/, ''))
    fs.chmodSync(p, 0)
    try {
      if (fs.statSync(p).isDirectory()) fs.readdirSync(p)
      else fs.closeSync(fs.openSync(p, 'r'))
      unreadable = false
    } catch {}
  }
  return { written, unreadable }
}

/** Make everything under `folder` readable again, so that it can be removed. */
function unlock (folder) {
  for (const name of fs.readdirSync(folder)) {
    const p = path.join(folder, name)
    const st = fs.lstatSync(p)
    if (st.isSymbolicLink()) continue
    fs.chmodSync(p, st.isDirectory() ? 0o755 : 0o644)
    if (st.isDirectory()) unlock(p)
  }
}

// --- the child ----------------------------------------------------------------------------

function rssKb (pid = 'self', field = 'VmRSS') {
  try {
    const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field + ':'))
    return line ? Number(line.split(/\s+/)[1]) : 0
  } catch {
    return 0
  }
}

async function child (command, folder, wantOutput, basePath, modulePath) {
  const dockopt = createRequire(import.meta.url)(modulePath)
  const file = path.join(folder, 'Dockerfile')
  const data = command === 'lint' ? null : fs.readFileSync(file)
  const baseline = rssKb()
  // Written whole (a rename), so the parent never reads an empty or partial number.
  fs.writeFileSync(basePath + '.part', String(baseline))
  fs.renameSync(basePath + '.part', basePath)
  const report = { baseline_kb: baseline }
  const start = performance.now()
  let result = null
  try {
    if (command === 'parse') result = dockopt.parse(data)
    else if (command === 'lint') result = await dockopt.lintFiles(file, {})
    else if (command === 'fix') result = dockopt.fix(data)
    else if (command === 'optimize') result = dockopt.optimize(data, { context: folder })
    else if (command === 'analyze') result = dockopt.analyze(data, { context: folder })
    else throw new Error(`unknown command ${command}`)
    report.status = 'ok'
  } catch (e) {
    // dockopt's own failures carry a code (ERR_DOCKOPT_*, or ENOENT-style for files); anything
    // else (a napi conversion failure, a RangeError) is a bug on hostile input.
    const own = typeof e?.code === 'string' && /^(ERR_DOCKOPT_|E[A-Z]+$)/.test(e.code)
    report.status = own ? 'error' : 'crash'
    report.message = `${e?.code ?? e?.name}: ${e?.message}`
    report.offset = e?.offset
  }
  report.seconds = (performance.now() - start) / 1000
  // The process's own high-water mark: resourceUsage().maxRSS also keeps the peak of the image
  // this process was exec'ed from (Linux carries it across exec).
  report.peak_kb = rssKb('self', 'VmHWM')
  if (wantOutput) report.output = report.message ?? JSON.stringify(result)
  console.log(JSON.stringify(report))
}

// --- the parent ---------------------------------------------------------------------------

function modulePath () {
  return path.resolve(process.env.DOCKOPT_HOSTILE_MODULE ?? path.join(here, '..'))
}

function run (command, folder, maxS, maxMb, wantOutput) {
  const io = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-hostile-io-'))
  const [outPath, errPath, basePath] = ['out', 'err', 'baseline'].map((n) => path.join(io, n))
  const [out, err] = [fs.openSync(outPath, 'w'), fs.openSync(errPath, 'w')]
  const args = [fileURLToPath(import.meta.url), '--child', command, folder, wantOutput ? '1' : '0', basePath, modulePath()]
  const proc = spawn(process.execPath, args, { stdio: ['ignore', out, err] })
  fs.closeSync(out)
  fs.closeSync(err)
  const start = performance.now()
  let stopped = null
  let baseline = 0
  let peakKb = 0
  const timer = setInterval(() => {
    if (!baseline) {
      try { baseline = Number(fs.readFileSync(basePath, 'utf8')) || 0 } catch {}
    }
    peakKb = Math.max(peakKb, rssKb(proc.pid, 'VmHWM'))
    const net = (rssKb(proc.pid) - baseline) / 1024
    const elapsed = (performance.now() - start) / 1000
    // The limit is on the call; Node starts and reads its input first, so memory is judged
    // only once the child has said where the call starts (before, net would be all of Node).
    if (!stopped && baseline && net > maxMb) stopped = ['memory', `stopped at ${net.toFixed(0)} MB (limit ${maxMb.toFixed(0)} MB)`]
    else if (!stopped && elapsed > maxS + 5) stopped = ['timeout', `stopped after ${elapsed.toFixed(1)} s (limit ${maxS.toFixed(1)} s)`]
    if (stopped) proc.kill('SIGKILL')
  }, 10)
  return new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      clearInterval(timer)
      const seconds = (performance.now() - start) / 1000
      const stdout = fs.readFileSync(outPath, 'utf8')
      const stderr = fs.readFileSync(errPath, 'utf8')
      fs.rmSync(io, { recursive: true, force: true })
      if (stopped) return resolve({ status: stopped[0], detail: stopped[1], output: '', seconds, peakMb: (peakKb - baseline) / 1024 })
      let report
      try {
        report = JSON.parse(stdout.trim().split('\n').at(-1))
      } catch {
        const what = signal ? `signal ${signal}` : `exit ${code}`
        const tail = stderr.trim().split('\n').slice(-3).join(' | ')
        return resolve({ status: 'crash', detail: `${what}: ${tail}`, output: '', seconds, peakMb: (peakKb - baseline) / 1024 })
      }
      const peakMb = (report.peak_kb - report.baseline_kb) / 1024
      if (stderr.includes('panicked at')) {
        report.status = 'crash'
        report.message = stderr.trim().split('\n')[0]
      }
      resolve({ status: report.status, detail: report.message ?? '', output: report.output ?? '', seconds: report.seconds, peakMb })
    })
  })
}

export function expectation (testCase, command) {
  let e = testCase.expect
  if (typeof e === 'object' && !('ok' in e) && !('error' in e)) {
    e = [`${RUNNER}:${command}`, command, `${RUNNER}:*`, '*'].map((k) => e[k]).find((v) => v !== undefined)
  }
  if (typeof e === 'string') return [e, []]
  const [[kind, subs]] = Object.entries(e)
  return [kind, subs]
}

export function knownFailure (testCase, command) {
  const k = testCase.known_failure
  if (k === undefined || typeof k === 'string') return k
  return [`${RUNNER}:${command}`, command, `${RUNNER}:*`, '*'].map((key) => k[key]).find((v) => v !== undefined)
}

function limits (table, testCase, command, inputMb, debug) {
  const base = table.limits[command]
  let seconds = base.seconds + base.seconds_per_mb * inputMb
  let mb = base.mb + base.mb_per_mb * inputMb
  const own = testCase.limits ?? {}
  for (const over of [own, own[command] ?? {}]) {
    seconds = over.seconds ?? seconds
    mb = over.mb ?? mb
  }
  return [seconds * (debug ? table.debug_time_factor : 1), mb]
}

export const isRelease = () => process.env.DOCKOPT_HOSTILE_BUILD === 'release'

export function line (o) {
  if (o.result === 'SKIPPED') return `${o.case.padEnd(30)} ${o.command.padEnd(9)} SKIPPED ${o.note}`
  const s = `${o.seconds.toFixed(2)} (${o.maxS.toFixed(1)})`
  const m = `${o.peakMb.toFixed(0)} (${o.maxMb.toFixed(0)})`
  return `${o.case.padEnd(30)} ${o.command.padEnd(9)} ${o.result.padEnd(7)} ${s.padStart(14)} ${m.padStart(14)}  ${o.note}`
}

/** Snapshot of every file under `folder` (links not followed): content, or the link's target. */
function snapshot (folder, rel = '', out = new Map()) {
  for (const name of fs.readdirSync(path.join(folder, rel))) {
    const r = rel ? `${rel}/${name}` : name
    const p = path.join(folder, r)
    const st = fs.lstatSync(p)
    if (st.isSymbolicLink()) out.set(r, fs.readlinkSync(p))
    else if (st.isDirectory()) snapshot(folder, r, out)
    else {
      try { out.set(r, fs.readFileSync(p).toString('base64')) } catch { out.set(r, null) }
    }
  }
  return out
}

export async function runCase (table, testCase, command) {
  const name = testCase.name
  const base = { case: name, command }
  if (testCase.heavy && !isRelease()) {
    return { ...base, result: 'SKIPPED', note: 'heavy case, needs a release build of the package (npm run build:release) and DOCKOPT_HOSTILE_BUILD=release' }
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-hostile-'))
  let r, maxS, maxMb
  const problems = []
  try {
    const { written, unreadable } = materialize(testCase, folder)
    if (!unreadable) return { ...base, result: 'SKIPPED', note: 'chmod 000 does not stop this user (root) from reading: not run' };
    [maxS, maxMb] = limits(table, testCase, command, written / 1e6, !isRelease())
    // The npm package only reads: every file must stay as it was.
    const before = WRITES.includes(command) || testCase.context ? snapshot(folder) : null
    const [want, subs] = expectation(testCase, command)
    r = await run(command, folder, maxS, maxMb, subs.length > 0)
    if (r.status === 'ok' || r.status === 'error') {
      if (r.status !== want) problems.push(`expected ${want}, got ${r.status}: ${r.detail}`)
      else {
        const missing = subs.filter((s) => !r.output.includes(s))
        if (missing.length) problems.push(`output lacks ${JSON.stringify(missing)}`)
      }
    } else {
      problems.push(`${r.status}: ${r.detail}`)
    }
    if (r.seconds > maxS && r.status !== 'timeout') problems.push(`took ${r.seconds.toFixed(2)} s > ${maxS.toFixed(1)} s`)
    if (r.peakMb > maxMb && r.status !== 'memory') problems.push(`peak ${r.peakMb.toFixed(0)} MB > ${maxMb.toFixed(0)} MB`)
    if (before) {
      const after = snapshot(folder)
      const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k))
      if (changed.length) problems.push(`files: changed or added ${JSON.stringify(changed)}`)
    }
  } finally {
    unlock(folder)
    fs.rmSync(folder, { recursive: true, force: true })
  }
  const k = knownFailure(testCase, command)
  let note = problems.join('; ')
  let result
  if (k) {
    result = problems.length ? 'KNOWN' : 'FIXED?'
    note = problems.length ? `${note} [known failure: ${k}]` : `known failure passes now: remove it from the table (${k})`
  } else {
    result = problems.length ? 'FAIL' : 'ok'
  }
  return { ...base, result, note, seconds: r.seconds, maxS, peakMb: r.peakMb, maxMb, problems }
}

export function selected (table, only) {
  return table.cases
    .filter((c) => !only.length || only.includes(c.name) || (c.heavy && only.includes('heavy')))
    .flatMap((c) => c.commands.filter((command) => !table.cli_only.includes(command)).map((command) => [c, command]))
}

export function header (table) {
  const build = isRelease() ? 'a release build' : `a debug build: time limits x${table.debug_time_factor}`
  return `hostile inputs through the npm package at ${modulePath()} (${build})\n` +
    `${'case'.padEnd(30)} ${'command'.padEnd(9)} ${'result'.padEnd(7)} ${'s (limit)'.padStart(14)} ${'MB (limit)'.padStart(14)}  note`
}

export const only = () => (process.env.DOCKOPT_HOSTILE_ONLY ?? '').split(',').filter(Boolean)

async function main (argv) {
  if (argv[0] === '--child') return child(argv[1], argv[2], argv[3] === '1', argv[4], argv[5])
  const table = loadTable()
  for (const check of table.generator_check.filter((c) => typeof c === 'object')) {
    if (generate(check.input).toString('hex') !== check.hex) throw new Error(`the generator gives other bytes than the table for ${JSON.stringify(check.input)}`)
  }
  console.log(header(table))
  const outcomes = []
  for (const [testCase, command] of selected(table, argv.length ? argv : only())) {
    const o = await runCase(table, testCase, command)
    console.log(line(o))
    outcomes.push(o)
  }
  const known = outcomes.filter((o) => o.result === 'KNOWN' || o.result === 'FIXED?')
  if (known.length) console.log(`\nKNOWN FAILURES (${known.length}), to fix in dockopt:\n  ` + known.map((o) => `${o.case} ${o.command}: ${o.note}`).join('\n  '))
  const failed = outcomes.filter((o) => o.result === 'FAIL')
  if (failed.length) console.log(`\n${failed.length} hostile cases failed:\n  ` + failed.map((o) => `${o.case} ${o.command}: ${o.note}`).join('\n  '))
  process.exitCode = failed.length ? 1 : 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2))
}
