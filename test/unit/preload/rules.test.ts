import { describe, expect, it } from 'vitest'
import { contract } from '../../../preload/contract'
import { METHOD_NAMES } from '../../../preload/methods'
import {
  auditKindSchema,
  clientIdSchema,
  displayNameSchema,
  keyIdSchema,
  rotationStepSchema,
} from '../../../preload/model'
import {
  auditKindRule,
  clientIdRule,
  displayNameRule,
  keyIdRule,
  rotationStepRule,
  type Rule,
} from '../../../preload/rules'

// The renderer checks with the zod-free rules, main with zod schemas built from them: for any
// input both must agree on the verdict, the value and the message.
const verdict = (schema: Rule<unknown>, value: unknown) => {
  const parsed = schema.safeParse(value)
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: parsed.error.issues[0]?.message }
}

const UUID = '0f5d8a52-7a3c-4a8e-9d1b-2f6c1e9b7a10'

describe('field rules without zod', () => {
  it.each([
    ['name', displayNameRule, displayNameSchema, ['  Northwind  ', '', '   ', 'x'.repeat(121), 42]],
    [
      'client id',
      clientIdRule,
      clientIdSchema,
      [`BUSINESSAPI.${UUID}`, ` SCHOOLAPI.${UUID} `, 'BUSINESSAPI.nope', ''],
    ],
    ['key id', keyIdRule, keyIdSchema, [UUID, `${UUID}x`, '']],
    ['rotation step', rotationStepRule, rotationStepSchema, ['stage', 'nope', undefined]],
    ['audit kind', auditKindRule, auditKindSchema, ['tenant.imported', 'tenant.exploded']],
  ] as const)('judge a %s as main’s zod schema does', (_, rule, schema, inputs) => {
    for (const input of inputs) {
      const ours = verdict(rule, input)
      const zods = verdict(schema as Rule<unknown>, input)
      expect(ours.ok).toBe(zods.ok)
      if (ours.ok) expect(ours).toEqual(zods)
      else if (typeof input === 'string' && 'problem' in rule) expect(ours).toEqual(zods)
    }
  })

  it('lists exactly the contract’s methods for the preload', () => {
    expect([...METHOD_NAMES].sort()).toEqual(Object.keys(contract).sort())
  })
})
