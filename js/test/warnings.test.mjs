// What lint could not check reaches the caller as a process warning (type DockoptWarning,
// code DOCKOPT_NOTE), as the CLI prints its notes on stderr.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const dockopt = createRequire(import.meta.url)('..')

// A RUN script over 128 KiB is not analysed (the core's MAX_SCRIPT_BYTES).
const LONG_RUN = 'FROM alpine:3.20\nRUN ' + 'echo x && '.repeat(13108) + 'true\n'
const ORDINARY = 'FROM alpine:3.20\nRUN echo hello\n'
const NOTE = "line 2: the RUN's script is longer than 128 KiB and was not analysed"

/** The warnings `process` emits while `call` runs (process.emitWarning delivers them on a
 * later tick). */
async function warningsOf(call) {
  const seen = []
  const listener = (warning) => seen.push(warning)
  process.on('warning', listener)
  try {
    await call()
    await new Promise((resolve) => setImmediate(resolve))
  } finally {
    process.off('warning', listener)
  }
  return seen
}

function file(text) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-'))
  fs.writeFileSync(path.join(root, 'Dockerfile'), text)
  return path.join(root, 'Dockerfile')
}

const summary = (warnings) => warnings.map((w) => [w.name, w.code, w.message])

test('lint warns about a RUN it did not analyse', async () => {
  const seen = await warningsOf(() => dockopt.lint(LONG_RUN))
  assert.deepEqual(summary(seen), [['DockoptWarning', 'DOCKOPT_NOTE', `<string>: ${NOTE}`]])
  assert.ok(seen[0] instanceof Error)
})

test('lintAsync warns when it resolves', async () => {
  const seen = await warningsOf(() => dockopt.lintAsync(LONG_RUN))
  assert.deepEqual(summary(seen), [['DockoptWarning', 'DOCKOPT_NOTE', `<string>: ${NOTE}`]])
})

test('lintFiles names the file', async () => {
  const long = file(LONG_RUN)
  const seen = await warningsOf(() => dockopt.lintFiles([long, file(ORDINARY)]))
  assert.deepEqual(summary(seen), [['DockoptWarning', 'DOCKOPT_NOTE', `${long}: ${NOTE}`]])
})

test('no warning for an ordinary Dockerfile', async () => {
  const seen = await warningsOf(async () => {
    dockopt.lint(ORDINARY)
    await dockopt.lintAsync(ORDINARY)
    await dockopt.lintFiles(file(ORDINARY))
  })
  assert.deepEqual(summary(seen), [])
})
