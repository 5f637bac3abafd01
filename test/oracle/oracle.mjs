// oracle.mjs: the differential oracle for Bulwark's policy engine.
//
// @cloud-copilot/iam-simulate is AGPL-3.0. It runs ONLY in this separate node process,
// installed from the npm registry into node_modules (git-ignored); no code, tests or
// test data of it are copied into the repository. The Go test (oracle_test.go) talks to
// this process over stdin/stdout.
//
// Protocol: one JSON object per input line, {id, simulation} where simulation is
// iam-simulate's Simulation object. One JSON line per case on stdout:
//   {id, result: "Allowed"|"ExplicitlyDenied"|"ImplicitlyDenied", resultType, ignoredContextKeys}
//   {id, error: "...", details}   when iam-simulate rejects the input or throws.
// Output is buffered and flushed every 256 cases and at end of input; with --interactive
// every answer is flushed at once (the minimizer asks one case at a time).
import { runSimulation } from '@cloud-copilot/iam-simulate'
import readline from 'node:readline'

const interactive = process.argv.includes('--interactive')
let buf = []
const flush = () => {
  if (buf.length === 0) return
  process.stdout.write(buf.join(''))
  buf = []
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of rl) {
  if (!line.trim()) continue
  let id = null
  let out
  try {
    const msg = JSON.parse(line)
    id = msg.id
    const r = await runSimulation(msg.simulation, { simulationMode: 'Strict' })
    if (r.resultType === 'error') {
      out = { id, error: r.errors?.message ?? 'error', details: r.errors }
    } else {
      out = {
        id,
        result: r.overallResult,
        resultType: r.resultType,
        ignoredContextKeys: r.result?.ignoredContextKeys ?? []
      }
      if (msg.explain) out.analysis = r.result?.analysis ?? r.results
    }
  } catch (e) {
    out = { id, error: 'exception: ' + String(e && e.stack ? e.stack : e) }
  }
  buf.push(JSON.stringify(out) + '\n')
  if (interactive || buf.length >= 256) flush()
}
flush()
