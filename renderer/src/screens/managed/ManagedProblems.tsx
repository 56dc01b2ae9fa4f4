import type { ManagedProblem } from '../../../../preload/model'
import { plural } from '../../format'

/**
 * How many entries the problems are about: one entry may have several bad fields, and a problem
 * with the whole source (index null) counts as one.
 */
export function entriesWithProblems(problems: ManagedProblem[]): number {
  return new Set(problems.map((problem) => problem.index)).size
}

/** What the MDM pushed that cannot be used, and why: which entry, which field. */
export function ManagedProblems({
  problems,
  location,
}: {
  problems: ManagedProblem[]
  location: string
}) {
  const entries = entriesWithProblems(problems)
  const sourceOnly = problems.every((problem) => problem.index === null)
  return (
    <details className="managed-problems">
      <summary>
        {sourceOnly
          ? 'The managed preferences could not be read.'
          : `${plural(entries, 'managed entry', 'managed entries')} could not be used (${plural(problems.length, 'problem')}).`}{' '}
        Ask your MDM administrator to correct the payload; nothing was imported from{' '}
        {entries === 1 ? 'it' : 'them'}.
      </summary>
      <ul>
        {problems.map((problem, index) => (
          <li key={index}>{describeProblem(problem, location)}</li>
        ))}
      </ul>
    </details>
  )
}

function describeProblem(problem: ManagedProblem, location: string): string {
  if (problem.index === null) return `${location}: ${problem.message}`
  const entry = problem.entryId
    ? `Entry ${problem.index + 1} ("${problem.entryId}")`
    : `Entry ${problem.index + 1}`
  return `${entry}${problem.field ? `, ${problem.field}` : ''}: ${problem.message}`
}
