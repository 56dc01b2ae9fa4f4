export type Section = 'devices' | 'audit' | 'api-information'
