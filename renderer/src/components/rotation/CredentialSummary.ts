/** What the wizard shows of a credential before and after a change. */
export interface CredentialSummary {
  name: string
  clientId: string
  keyId: string
  fingerprint: string | undefined
}
