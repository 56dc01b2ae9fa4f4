// The records of a live sync from Apple, as main keeps them and the renderer shows them. Types
// only: nothing here ever holds a token or key material.

/** full: list every device and refresh stale coverage; partial: No Data devices only; device: one. */
export type SyncKind = 'full' | 'partial' | 'device'

export type SyncStatus = 'running' | 'complete' | 'partial' | 'canceled' | 'failed'

/** Where a run is: listing devices, confirming released ones, fetching coverage, retrying. */
export type SyncPhase = 'devices' | 'reconcile' | 'coverage' | 'retry' | 'done'

export type SyncStopReason =
  | 'revoked'
  | 'rejected'
  | 'forbidden'
  | 'no_credential'
  | 'key_unusable'
  | 'keychain'
  | 'network'
  | 'server'
  | 'bad_response'
  | 'canceled'
  | 'busy'
  | 'internal'

/** What one answer about a device's AppleCare coverage was. No Data = unavailable or never asked. */
export type CoverageOutcome = 'records' | 'none' | 'notFound' | 'unavailable'

export interface SyncCounts {
  pages: number
  devicesSeen: number
  devicesNew: number
  devicesUpdated: number
  devicesInactive: number
  coverageFetched: number
  coverageNone: number
  coverageNotFound: number
  coverageFailed: number
  retries: number
  rateLimitWaits: number
  rateLimitWaitMs: number
}

/** One run as the tenant database records it. */
export interface SyncRun extends SyncCounts {
  id: number
  kind: SyncKind
  forced: boolean
  serial: string | null
  status: SyncStatus
  phase: SyncPhase
  /** Every credential whose token the run used, in order: two when a rotation happened mid-run. */
  credentialIds: string[]
  startedAt: string
  finishedAt: string | null
  message: string | null
  /** Why a failed or canceled run stopped. */
  stopReason: SyncStopReason | null
}

/** Live progress of a running sync, pushed to the renderer as it goes. */
export interface SyncProgress {
  tenantId: string
  runId: number
  kind: SyncKind
  status: SyncStatus
  phase: SyncPhase
  pages: number
  devicesListed: number
  coverageDone: number
  coverageTotal: number
  /** Set while the run waits for Apple's rate limit: when it will go on (ISO time). */
  waitingUntil: string | null
  /** Set while a credential change holds the run at a safe point. */
  pausedForRotation: boolean
  message: string | null
}

/** The freshness line of the Devices screen. */
export interface SyncOverview {
  running: SyncProgress | null
  /** The last run that ended (any kind), or null when the tenant never synced. */
  lastRun: SyncRun | null
  /** The last full run that completed: when the device list was last known complete. */
  lastCompleteAt: string | null
  devicesWithoutData: number
}

export interface DeviceCoverageRecord {
  description: string | null
  status: string | null
  paymentType: string | null
  agreementNumber: string | null
  start: string | null
  end: string | null
  isCanceled: boolean
  isRenewable: boolean | null
}

/** Everything the device panel shows. */
export interface DeviceDetail {
  serial: string
  model: string | null
  family: string | null
  productType: string | null
  color: string | null
  capacity: string | null
  status: string | null
  orderNumber: string | null
  orderDate: string | null
  partNumber: string | null
  purchaseSourceType: string | null
  purchaseSourceId: string | null
  addedToOrg: string | null
  releasedFromOrg: string | null
  updatedAt: string | null
  firstSeen: string
  lastSeen: string
  inactive: boolean
  identifiers: { label: string; values: string[] }[]
  coverageOutcome: CoverageOutcome | null
  coverageCheckedAt: string | null
  coverage: DeviceCoverageRecord[]
}
