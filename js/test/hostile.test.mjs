// The hostile-input table (tests/hostile/cases.json) through the npm package: one test per case
// and command, each in a child process with a time and memory limit (hostile-runner.mjs). Known
// failures are TODO tests and listed at the end; heavy cases are skipped unless
// DOCKOPT_HOSTILE_BUILD=release says the package is a release build.
import assert from 'node:assert/strict'
import { after, test } from 'node:test'

import { generate, header, line, loadTable, only, runCase, selected } from './hostile-runner.mjs'

const table = loadTable()
const notes = []

test('the generators give the table\'s bytes', () => {
  for (const check of table.generator_check.filter((c) => typeof c === 'object')) {
    assert.equal(generate(check.input).toString('hex'), check.hex, JSON.stringify(check.input))
  }
})

for (const [testCase, command] of selected(table, only())) {
  test(`hostile ${testCase.name} ${command}`, async (t) => {
    const outcome = await runCase(table, testCase, command)
    t.diagnostic(line(outcome))
    if (outcome.result !== 'ok') notes.push(line(outcome))
    if (outcome.result === 'SKIPPED') return t.skip(outcome.note)
    if (outcome.result === 'KNOWN' || outcome.result === 'FIXED?') return t.todo(outcome.note)
    assert.notEqual(outcome.result, 'FAIL', line(outcome))
  })
}

after(() => {
  if (notes.length) console.log(`\n${header(table)}\n${notes.join('\n')}`)
})
