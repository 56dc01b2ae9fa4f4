interface NoCredentialNoticeProps {
  tenantName: string
  onAddCredential: () => void
}

/** The tenant's last credential was removed with its data kept: say so, and offer a new one. */
export function NoCredentialNotice({ tenantName, onAddCredential }: NoCredentialNoticeProps) {
  return (
    <section className="notice notice-info notice-row notice-action" aria-label="No credential">
      <div>
        <p className="notice-title">{tenantName} has no credential</p>
        <p>
          Its devices and coverage history are kept. Add a credential for this tenant to use it with
          Apple again.
        </p>
      </div>
      <button type="button" className="btn btn-primary" onClick={onAddCredential}>
        Add Credential…
      </button>
    </section>
  )
}
