// A typed use of the package: `tsc -p test` compiles it under --strict, so index.d.ts must
// describe every call and result precisely; the @ts-expect-error lines prove the types are
// not `any`. The file is type-checked only, never run (the .test.mjs files run the calls).
import {
  analyze,
  analyzeAsync,
  fix,
  lint,
  lintAsync,
  lintFiles,
  optimize,
  optimizeAsync,
  parse,
  rules,
  type DockoptError,
  type Finding,
  type Position,
} from '../index.js'

const text = 'FROM python:3.12\nCMD python app.py\n'

const model = parse(text)
const tag: string | null = model.stages[0]?.image?.tag ?? null
const firstLine: number = model.instructions[0].span.start.line
const heredocBodies: string[] = model.instructions.flatMap((i) => i.heredocs.map((h) => h.content))
// @ts-expect-error `keyword` is a string
const wrongKeyword: number = model.instructions[0].keyword

const findings: Finding[] = lint(text, { ignore: ['DL3008'], severity: { DO101: 'error' } })
const where: Position = findings[0].start
const utf16Column: number = where.column_utf16
for (const f of findings) {
  if (f.fix.available) {
    const edits: number = f.fix.edits.length
    const safe: boolean = f.fix.applicability === 'safe'
    void edits, safe
  }
}
// @ts-expect-error a config's `select` is a list of strings
lint(text, { select: 'DO101' })
// @ts-expect-error the severity is one of four words
const severity: 'fatal' = findings[0].severity

const fixed: string = fix(text, undefined, true).text
const applied: string[] = fix(text).applied.map((a) => a.code)
const optimized = optimize(text, { disable: ['non-root'], cacheMounts: true })
const why: string[] = optimized.changes.map((c) => c.why)
const ignoreFile: string | null = optimized.dockerignore
const size: number = analyze(text, { baseSizes: { 'python:3.12': 1_000_000 } }).image.size_bytes
const codes: string[] = rules().map((r) => r.code)

async function main(): Promise<void> {
  const later: Finding[] = await lintAsync(text)
  const files: Finding[] = await lintFiles(['.', 'Dockerfile'], { select: ['DO101'] })
  const rewritten: string = (await optimizeAsync(text)).text
  const report = await analyzeAsync(text, { context: '.' })
  const sent: number | undefined = report.context?.sent.bytes
  try {
    await lintFiles('missing')
  } catch (e) {
    const code: string = (e as DockoptError).code
    void code
  }
  void later, files, rewritten, sent
}

void tag, firstLine, heredocBodies, wrongKeyword, utf16Column, severity, fixed, applied, why, ignoreFile, size, codes
void main
