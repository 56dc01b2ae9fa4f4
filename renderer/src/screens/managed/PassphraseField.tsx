import { TextField } from '../../components/TextField'

/** The passphrase the admin's MDM payload was encrypted with; it never comes with the payload. */
export function PassphraseField({
  value,
  onValueChange,
  error,
}: {
  value: string
  onValueChange: (value: string) => void
  error: string | undefined
}) {
  return (
    <TextField
      label="Passphrase"
      type="password"
      autoComplete="off"
      value={value}
      onValueChange={onValueChange}
      error={error}
      hint="Your MDM administrator has it; it is not part of the managed payload."
      data-autofocus
    />
  )
}
