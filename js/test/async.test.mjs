import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import * as esm from '../index.mjs'
import esmDefault from '../index.mjs'

const dockopt = createRequire(import.meta.url)('..')

const NAIVE = 'FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD python main.py\n'

function tree(files) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockopt-'))
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
    fs.writeFileSync(path.join(root, name), text)
  }
  return root
}

test('ESM and CommonJS entry points export the same functions', () => {
  const cjs = Object.keys(dockopt).filter((k) => typeof dockopt[k] === 'function').sort()
  const named = Object.keys(esm).filter((k) => k !== 'default').sort()
  assert.deepEqual(named, cjs)
  assert.equal(esmDefault, dockopt)
  assert.equal(esm.lint, dockopt.lint)
})

test('the Promise variants return what the calls return', async () => {
  const pending = dockopt.lintAsync(NAIVE, { ignore: ['DL3008'] })
  assert.ok(pending instanceof Promise)
  assert.deepEqual(await pending, dockopt.lint(NAIVE, { ignore: ['DL3008'] }))
  const context = tree({ 'requirements.txt': 'flask\n', 'main.py': 'print(1)\n' })
  assert.deepEqual(await dockopt.optimizeAsync(NAIVE, { context }), dockopt.optimize(NAIVE, { context }))
  assert.deepEqual(await dockopt.analyzeAsync(NAIVE, { context }), dockopt.analyze(NAIVE, { context }))
  assert.deepEqual(await dockopt.lintAsync(Buffer.from(NAIVE)), dockopt.lint(NAIVE))
})

test('the Promise variants run off the JS thread', async () => {
  // A timer keeps firing while many lints run on the thread pool.
  const text = 'FROM python:3.11\n' + 'RUN apt-get update && apt-get install -y curl\n'.repeat(300)
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  const started = performance.now()
  await Promise.all(Array.from({ length: 64 }, () => dockopt.lintAsync(text)))
  const elapsed = performance.now() - started
  clearInterval(timer)
  assert.ok(elapsed < 20 || ticks >= 3, `elapsed ${elapsed} ms, ${ticks} ticks`)
})

test('lintFiles walks folders like the CLI, with each folder\'s configuration', async () => {
  const root = tree({
    'b/Dockerfile': 'FROM a\nCMD python app.py\n',
    'a/api.Dockerfile': 'FROM a\nCMD python app.py\n',
    'a/README.md': 'not a Dockerfile\n',
    'c/Containerfile': 'FROM a\nCMD python app.py\n',
    'c/dockopt.toml': 'ignore = ["DO101"]\n',
  })
  const found = await dockopt.lintFiles(root)
  const withDo101 = [...new Set(found.filter((f) => f.code === 'DO101').map((f) => f.path))]
  assert.deepEqual(withDo101, [path.join(root, 'a/api.Dockerfile'), path.join(root, 'b/Dockerfile')])
  const given = await dockopt.lintFiles([path.join(root, 'c')], { select: ['DO101'] })
  assert.deepEqual(given.map((f) => f.path), [path.join(root, 'c/Containerfile')])
  const text = fs.readFileSync(path.join(root, 'b/Dockerfile'), 'utf8')
  const one = await dockopt.lintFiles(path.join(root, 'b/Dockerfile'), {})
  assert.deepEqual(one.map((f) => [f.code, f.start]), dockopt.lint(text, {}).map((f) => [f.code, f.start]))
})

test('errors carry a stable code, and the offset or path', async () => {
  const bytes = Buffer.concat([Buffer.from('FROM alpine\nRUN echo '), Buffer.from([0xff, 0x0a])])
  for (const call of [dockopt.parse, dockopt.lint, dockopt.fix, dockopt.optimize, dockopt.analyze]) {
    assert.throws(() => call(bytes), (err) => err instanceof Error && err.code === 'ERR_DOCKOPT_INPUT' && err.offset === 21)
  }
  // The Promise variants reject, never throw.
  await assert.rejects(dockopt.lintAsync('FROM a\n', { select: ['NOPE'] }), (err) => err.code === 'ERR_DOCKOPT_CONFIG')
  await assert.rejects(dockopt.analyzeAsync(bytes), (err) => err.code === 'ERR_DOCKOPT_INPUT' && err.offset === 21)
  assert.throws(() => dockopt.lint('FROM a\n', { selct: [] }), (err) => err.code === 'ERR_DOCKOPT_CONFIG' && /selct/.test(err.message))
  assert.throws(
    () => dockopt.analyze('FROM a\n', { baseSizes: { a: -1 } }),
    (err) => err.code === 'ERR_DOCKOPT_OPTION',
  )
  const missing = path.join(os.tmpdir(), 'dockopt-no-such-folder', 'Dockerfile')
  await assert.rejects(dockopt.lintFiles(missing), (err) => err instanceof Error && err.code === 'ENOENT' && err.path === missing)
  const root = tree({ Dockerfile: 'FROM a\n' })
  fs.writeFileSync(path.join(root, 'Dockerfile'), Buffer.from([0x46, 0xff]))
  await assert.rejects(dockopt.lintFiles(root), (err) => err.code === 'ERR_DOCKOPT_INPUT' && err.offset === 1)
  fs.writeFileSync(path.join(root, 'dockopt.toml'), 'ignore = ["NOPE"]\n')
  await assert.rejects(dockopt.lintFiles(root), (err) => err.code === 'ERR_DOCKOPT_CONFIG')
})

test('positions give UTF-16 columns next to byte offsets', () => {
  const text = 'FROM a\nLABEL x="\u{1F433}" \nCMD python app.py\n'
  const [cmd] = dockopt.lint(text, { select: ['DO101'] })
  const line = text.split('\n')[cmd.start.line - 1]
  assert.equal(line.slice(cmd.start.column_utf16 - 1, cmd.end.column_utf16 - 1), 'python app.py')
  assert.equal(Buffer.from(text).subarray(cmd.start.offset, cmd.end.offset).toString(), 'python app.py')
})
