// The error a promise rejected with, checked to be of the expected class, for tests that go on to
// assert its code, step or message.
import { expect } from 'vitest'

export async function rejectionOf<E extends Error>(
  pending: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const error = await pending.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(type)
  return error as E
}

/** What `work` throws, or undefined when it returns: for checking refusals made mid-operation. */
export function thrownBy(work: () => unknown): unknown {
  try {
    work()
  } catch (error) {
    return error
  }
  return undefined
}
