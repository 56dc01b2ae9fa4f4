// npm run bench: the figures the issues ask for, printed as a table. Each area's bench lives next
// to this file and answers labelled figures; none of them asserts a time.
import { bench as managedBench } from './managed'
import { bench as rendererBench } from './renderer'
import { bench as rotationBench } from './rotation'
import { bench as syncBench } from './sync'
import { bench as tenantsBench } from './tenants'
import { bench as vaultBench } from './vault'

type Bench = () => Promise<Array<{ label: string; figure: string }>>

const suites: Array<[string, Bench]> = [
  ['Credentials', vaultBench],
  ['Tenant data', tenantsBench],
  ['Rotation', rotationBench],
  ['Managed import', managedBench],
  ['Live sync from Apple', syncBench],
  ['Renderer (Chromium, e2e harness)', rendererBench],
]

for (const [title, run] of suites) {
  console.log(`\n${title}`)
  for (const { label, figure } of await run()) console.log(`  ${label.padEnd(58)} ${figure}`)
}
