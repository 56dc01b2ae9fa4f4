// The names of the contract's methods and the IPC channels they travel on, without the schemas:
// the preload bundles this file alone (a sandboxed preload should not carry zod to list names).
// contract.ts checks, at compile time, that this list and its methods are the same set.

export const METHOD_NAMES = [
  'listTenants',
  'listCredentials',
  'pickKeyFile',
  'inspectKey',
  'addCredential',
  'renameCredential',
  'removeCredential',
  'testConnection',
  'deviceCounts',
  'countDeviceView',
  'queryDevices',
  'openingDevices',
  'importDevicesCsv',
  'cancelCsvImport',
  'exportDevicesCsv',
  'cancelCsvExport',
  'changeCredential',
  'cancelRotation',
  'listAudit',
  'exportAuditCsv',
  'managedState',
  'importManaged',
  'dismissManaged',
  'startSync',
  'cancelSync',
  'syncOverview',
  'syncHistory',
  'deviceDetail',
  'renameTenant',
  'markKeyRevoked',
  'rememberOpenedTenant',
  'cancelConnectionTest',
  'restoreManaged',
] as const

export type MethodName = (typeof METHOD_NAMES)[number]

export const EVENT_NAMES = [
  'rotationProgress',
  'managedChanged',
  'csvImportProgress',
  'csvExportProgress',
  'dataChanged',
  'syncProgress',
] as const
export type EventName = (typeof EVENT_NAMES)[number]

export const invokeChannel = (name: MethodName): string => `axm:${name}`
export const eventChannel = (name: EventName): string => `axm-event:${name}`
