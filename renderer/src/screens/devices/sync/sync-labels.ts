import type { SyncKind } from '../../../../../preload/sync-model'

export const syncKindLabel: Record<SyncKind, string> = {
  full: 'Full sync',
  partial: 'Sync of devices without data',
  device: 'Device refresh',
}
