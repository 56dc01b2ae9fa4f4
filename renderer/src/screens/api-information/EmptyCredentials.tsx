/** No credential yet: where in Apple Business / School Manager each piece comes from. */
export function EmptyCredentials({ onAdd }: { onAdd: () => void }) {
  return (
    <div className="empty-state">
      <h2>Add your first API credential</h2>
      <p>
        A credential lets this app talk to Apple Business Manager or Apple School Manager for one
        organisation. You need three things from Apple:
      </p>
      <ol className="steps-list">
        <li>
          In <strong>Apple Business Manager</strong>, click your name at the bottom of the sidebar,
          then <strong>Preferences → API</strong>. Choose <strong>Add API account</strong> (or{' '}
          <strong>Manage</strong> for an existing one).
        </li>
        <li>
          Copy the <strong>Client ID</strong> (it starts with <code>BUSINESSAPI.</code>) and the{' '}
          <strong>Key ID</strong>.
        </li>
        <li>
          Download the <strong>private key</strong> (.pem). Apple lets you download it only once:
          keep it until it is added here. The app stores it in the system keychain, never in a plain
          file.
        </li>
      </ol>
      <p className="muted">
        Apple School Manager works the same way under <strong>Settings → API</strong>; its Client
        IDs start with <code>SCHOOLAPI.</code>.
      </p>
      <button type="button" className="btn btn-primary" onClick={onAdd}>
        Add Credential
      </button>
    </div>
  )
}
