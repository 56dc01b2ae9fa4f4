import { scopeProduct } from '../../format'
import { TextField } from '../TextField'
import { PrivateKeyField } from './PrivateKeyField'
import type { CredentialForm } from './useCredentialForm'

/** Name, Client ID, Key ID, the scope they imply, and the private key: the whole credential form. */
export function CredentialFormFields({ form }: { form: CredentialForm }) {
  const { fields, errors, scope } = form
  return (
    <div className="credential-form">
      <TextField
        label="Name"
        value={fields.name}
        onValueChange={(value) => form.setField('name', value)}
        error={errors.name}
        hint="How this account appears in the app, e.g. the organisation's name."
      />
      <TextField
        label="Client ID"
        value={fields.clientId}
        onValueChange={(value) => form.setField('clientId', value)}
        error={errors.clientId}
        hint={
          scope ? (
            <>
              Scope: <strong>{scopeProduct[scope]}</strong>
            </>
          ) : (
            'BUSINESSAPI.… or SCHOOLAPI.…; the scope follows from it.'
          )
        }
        spellCheck={false}
        autoComplete="off"
        placeholder="Copy it from Apple"
      />
      <TextField
        label="Key ID"
        value={fields.keyId}
        onValueChange={(value) => form.setField('keyId', value)}
        error={errors.keyId}
        spellCheck={false}
        autoComplete="off"
        placeholder="Copy it from Apple"
      />
      <PrivateKeyField form={form} />
    </div>
  )
}
