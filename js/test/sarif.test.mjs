import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { test } from 'node:test'

// SARIF 2.1.0's JSON schema as published by Microsoft (shipped inside @microsoft/jest-sarif).
const require = createRequire(import.meta.url)
const Ajv = require('ajv')
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json')

const bin = process.env.DOCKOPT_BIN
const DOCKERFILE = 'FROM python:3.11\nRUN apt-get update && apt-get install -y gcc\nMAINTAINER me\nCMD python app.py\n'

test('dockopt lint --format sarif is valid SARIF 2.1.0', { skip: !bin || !existsSync(bin) ? 'DOCKOPT_BIN not built' : false }, () => {
  let out
  try {
    out = execFileSync(bin, ['lint', '--select', 'ALL', '--format', 'sarif', '-'], { input: DOCKERFILE })
  } catch (err) {
    out = err.stdout // exit code 1 means findings
  }
  const log = JSON.parse(out)
  const ajv = new Ajv({ schemaId: 'auto', allErrors: true })
  ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'))
  const valid = ajv.validate(schema, log)
  assert.ok(valid, JSON.stringify(ajv.errors, null, 2))
  assert.ok(log.runs[0].results.length >= 3)
})

test('SARIF columns count UTF-16 code units, as JavaScript and GitHub do', { skip: !bin || !existsSync(bin) ? 'DOCKOPT_BIN not built' : false }, () => {
  const src = 'FROM debian:12\nRUN echo "\u{1F600}" && apt-get install curl\n'
  let out
  try {
    out = execFileSync(bin, ['lint', '--select', 'DO123', '--format', 'sarif', '-'], { input: src })
  } catch (err) {
    out = err.stdout
  }
  const run = JSON.parse(out).runs[0]
  assert.equal(run.columnKind, 'utf16CodeUnits')
  const region = run.results[0].locations[0].physicalLocation.region
  assert.equal(region.startColumn, src.split('\n')[region.startLine - 1].indexOf('apt-get') + 1)
})
