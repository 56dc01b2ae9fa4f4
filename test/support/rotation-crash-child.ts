// A rotation in a process of its own, for the crash tests: run with `node --import tsx` and an IPC
// channel. At every step boundary it tells the parent `{ phase, step }` and waits for `continue`,
// so the parent can SIGKILL it at exactly that point. Argument: the CrashChildJob as JSON.
import { readFileSync } from 'node:fs'
import type { RotationStep } from '../../preload/model'
import { AuditLog } from '../../main/audit/audit-log'
import { RotationEngine } from '../../main/rotation/rotation-engine'
import { parsePrivateKey } from '../../main/vault/private-key'
import { KeychainSecretStore } from '../../main/vault/secret-store'
import { FileStateStore } from '../../main/vault/state-store'
import { tenantSnapshot } from './rotation-world'

export interface CrashChildJob {
  dataDir: string
  service: string
  runId: string
  credentialId: string
  name: string
  clientId: string
  keyId: string
  keyPath: string
}

export interface StepBoundary {
  phase: 'before' | 'after'
  step: RotationStep
}

function boundary(phase: StepBoundary['phase'], step: RotationStep): Promise<void> {
  return new Promise((resolve) => {
    process.once('message', () => resolve())
    process.send?.({ phase, step } satisfies StepBoundary)
  })
}

const job = JSON.parse(process.argv[2] ?? '{}') as CrashChildJob
const engine = new RotationEngine({
  state: new FileStateStore(job.dataDir),
  secrets: new KeychainSecretStore(job.service),
  audit: new AuditLog(job.dataDir),
  tenantSnapshot: (tenantId) => tenantSnapshot(job.dataDir, tenantId),
  confirmer: { confirm: () => Promise.reject(new Error('the crash child confirms offline')) },
  hooks: {
    beforeStep: (step) => boundary('before', step),
    afterStep: (step) => boundary('after', step),
  },
})
await engine.rotate({
  ...job,
  key: parsePrivateKey(readFileSync(job.keyPath, 'utf8')),
  confirmOffline: true,
})
process.disconnect?.()
