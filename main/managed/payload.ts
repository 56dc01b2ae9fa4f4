// The ManagedCredentials payload: what an MDM pushes, validated entry by entry so that one bad entry
// is reported next to the good ones instead of hiding them. Keys stay encrypted here; decrypting is
// decrypt.ts's job, once the admin typed the passphrase.
import { z } from 'zod'
import {
  clientIdSchema,
  displayNameSchema,
  isSafeText,
  keyIdSchema,
  scopeOfClientId,
  unsafeTextMessage,
  type ManagedProblem,
  type Scope,
} from '../../preload/model'
import { APP_ID } from '../paths'
import { KeyStructureError } from '../vault/asn1'
import {
  describeEncryptedPkcs8,
  encryptedPkcs8DerFromPem,
  type KeyEncryption,
} from '../vault/pbes2'
import { describePkcs12 } from '../vault/pkcs12'

export type ManagedKeyFormat = 'encrypted-pkcs8' | 'pkcs12'

/** One valid payload entry. Holds encrypted key material: it never leaves the main process. */
export interface ManagedEntry {
  id: string
  name: string
  clientId: string
  keyId: string
  scope: Scope
  revision: number
  publicKeyFingerprint?: string
  keyFormat: ManagedKeyFormat
  /** The key as the payload carries it: PEM text (encrypted PKCS#8) or the PKCS#12 file's bytes. */
  keyMaterial: string | Buffer
}

export interface ParsedPayload {
  entries: ManagedEntry[]
  problems: ManagedProblem[]
}

const PAYLOAD_KEY = 'ManagedCredentials'

/**
 * Ids that name JavaScript's own object machinery: the ledger and the dismissals are keyed by id,
 * and `ledger['__proto__'] = …` would replace the object's prototype instead of recording an entry.
 */
const RESERVED_IDS = new Set(['__proto__', 'constructor', 'prototype'])

const requiredString = (field: string) =>
  z.string({
    error: (issue) =>
      issue.input === undefined ? `${field} is required` : `${field} must be text`,
  })

const entrySchema = z
  .object({
    id: requiredString('id')
      .trim()
      .min(1, 'id is required')
      .max(200, 'id is at most 200 characters')
      .refine(isSafeText, unsafeTextMessage('id'))
      .refine((id) => !RESERVED_IDS.has(id), 'id must not be __proto__, constructor or prototype'),
    name: requiredString('name').pipe(displayNameSchema),
    clientId: requiredString('clientId').pipe(clientIdSchema),
    keyId: requiredString('keyId').pipe(keyIdSchema),
    scope: z.string({ error: 'scope must be text' }).optional(),
    privateKey: z.string({ error: 'privateKey must be text (a PEM block)' }).optional(),
    privateKeyPKCS12: z
      .union([z.instanceof(Uint8Array), z.string()], {
        error: 'privateKeyPKCS12 must be data (in JSON: a base64 string)',
      })
      .optional(),
    revision: z
      .number({ error: 'revision must be a whole number' })
      .int('revision must be a whole number')
      .min(1, 'revision starts at 1')
      .default(1),
    publicKeyFingerprint: z
      .string({ error: 'publicKeyFingerprint must be text' })
      .trim()
      .toLowerCase()
      .regex(/^[0-9a-f]{64}$/, 'publicKeyFingerprint is the 64 hex digits of a SHA-256')
      .optional(),
  })
  .superRefine((entry, ctx) => {
    const scopeProblem = checkScope(entry.scope, entry.clientId)
    if (scopeProblem) ctx.addIssue({ code: 'custom', path: ['scope'], message: scopeProblem })
    const keyProblem = checkKeyFields(entry.privateKey, entry.privateKeyPKCS12)
    if (keyProblem)
      ctx.addIssue({ code: 'custom', path: [keyProblem.field], message: keyProblem.message })
  })

type ValidEntry = z.infer<typeof entrySchema>

function checkScope(scope: string | undefined, clientId: string): string | undefined {
  if (scope === undefined) return undefined
  if (scope !== 'business' && scope !== 'school') return 'scope must be business or school'
  const fromClientId = scopeOfClientId(clientId)
  if (scope !== fromClientId) {
    return `scope is ${scope}, but the Client ID was issued for ${fromClientId}`
  }
  return undefined
}

function checkKeyFields(
  pem: string | undefined,
  pkcs12: Uint8Array | string | undefined,
): { field: string; message: string } | undefined {
  if (pem !== undefined && pkcs12 !== undefined) {
    return { field: 'privateKey', message: 'give either privateKey or privateKeyPKCS12, not both' }
  }
  if (pem === undefined && pkcs12 === undefined) {
    return { field: 'privateKey', message: 'privateKey or privateKeyPKCS12 is required' }
  }
  if (pem !== undefined) {
    if (/-----BEGIN (EC |RSA )?PRIVATE KEY-----/.test(pem)) {
      return {
        field: 'privateKey',
        message:
          'privateKey is not encrypted; a managed key must be encrypted with a passphrase, which protects it in transit',
      }
    }
    if (!encryptedPkcs8DerFromPem(pem)) {
      return {
        field: 'privateKey',
        message: 'privateKey must be a PEM "BEGIN ENCRYPTED PRIVATE KEY" block',
      }
    }
  }
  if (pkcs12 !== undefined && pkcs12BytesOf(pkcs12).length === 0) {
    return { field: 'privateKeyPKCS12', message: 'privateKeyPKCS12 is empty or not valid base64' }
  }
  return undefined
}

function pkcs12BytesOf(value: Uint8Array | string): Buffer {
  if (typeof value !== 'string') return Buffer.from(value)
  const compact = value.replace(/\s+/g, '')
  return /^[A-Za-z0-9+/]*={0,2}$/.test(compact) ? Buffer.from(compact, 'base64') : Buffer.alloc(0)
}

function toEntry(valid: ValidEntry): ManagedEntry {
  const common = {
    id: valid.id,
    name: valid.name,
    clientId: valid.clientId,
    keyId: valid.keyId,
    scope: scopeOfClientId(valid.clientId),
    revision: valid.revision,
    ...(valid.publicKeyFingerprint && { publicKeyFingerprint: valid.publicKeyFingerprint }),
  }
  return valid.privateKeyPKCS12 !== undefined
    ? { ...common, keyFormat: 'pkcs12', keyMaterial: pkcs12BytesOf(valid.privateKeyPKCS12) }
    : { ...common, keyFormat: 'encrypted-pkcs8', keyMaterial: valid.privateKey ?? '' }
}

/**
 * The ManagedCredentials array of a payload root: a preferences dictionary, or a configuration
 * profile (.mobileconfig) whose PayloadContent holds our domain's payload.
 */
function credentialListOf(root: unknown): unknown[] | ManagedProblem {
  const sourceProblem = (message: string): ManagedProblem => ({ index: null, message })
  if (!isRecord(root)) return sourceProblem('The managed preferences are not a dictionary.')
  let preferences: Record<string, unknown> = root
  if (root.PayloadType === 'Configuration' && Array.isArray(root.PayloadContent)) {
    const ours = root.PayloadContent.find(
      (item): item is Record<string, unknown> => isRecord(item) && item.PayloadType === APP_ID,
    )
    if (!ours) return sourceProblem(`The profile has no payload of type ${APP_ID}.`)
    preferences = ours
  }
  const list = preferences[PAYLOAD_KEY]
  if (list === undefined)
    return sourceProblem(`The managed preferences have no ${PAYLOAD_KEY} key.`)
  if (!Array.isArray(list)) return sourceProblem(`${PAYLOAD_KEY} must be an array of dictionaries.`)
  return list
}

export function parseManagedPayload(root: unknown): ParsedPayload {
  const list = credentialListOf(root)
  if (!Array.isArray(list)) return { entries: [], problems: [list] }
  const entries: ManagedEntry[] = []
  const problems: ManagedProblem[] = []
  list.forEach((raw, index) => {
    const entryId = isRecord(raw) && typeof raw.id === 'string' ? raw.id.trim() : undefined
    const at = { index, ...(entryId && { entryId }) }
    if (!isRecord(raw)) {
      problems.push({ ...at, message: 'The entry is not a dictionary.' })
      return
    }
    const parsed = entrySchema.safeParse(raw)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0]
        problems.push({
          ...at,
          ...(typeof field === 'string' && { field }),
          message: issue.message,
        })
      }
      return
    }
    if (entries.some((entry) => entry.id === parsed.data.id)) {
      problems.push({
        ...at,
        field: 'id',
        message: `id "${parsed.data.id}" is used by an earlier entry; only the first one is offered`,
      })
      return
    }
    entries.push(toEntry(parsed.data))
  })
  return { entries, problems }
}

/** How the entry's key is protected, read without the passphrase (for `payload inspect`). */
export function describeEncryption(entry: ManagedEntry): KeyEncryption {
  if (entry.keyFormat === 'pkcs12') return describePkcs12(Buffer.from(entry.keyMaterial))
  const der = encryptedPkcs8DerFromPem(entry.keyMaterial.toString())
  if (!der) throw new KeyStructureError('The private key is not a PEM encrypted key.')
  return describeEncryptedPkcs8(der)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  )
}
