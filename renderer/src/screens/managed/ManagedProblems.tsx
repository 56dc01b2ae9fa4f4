import type { ManagedProblem } from '../../../../preload/model'
import { plural } from '../../format'

/** What the MDM pushed that cannot be used, and why: which entry, which field. */
export function ManagedProblems({
  problems,
  location,
}: {
  problems: ManagedProblem[]
  location: string
}) {
  return (
    <details className="managed-problems">
      <summary>
        {plural(problems.length, 'managed entry', 'managed entries')} could not be used. Ask your
        MDM administrator to correct the payload; nothing was imported from{' '}
        {problems.length === 1 ? 'it' : 'them'}.
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
    ? `Entry ${problem.index + 1} (“${problem.entryId}”)`
    : `Entry ${problem.index + 1}`
  return `${entry}${problem.field ? `, ${problem.field}` : ''}: ${problem.message}`
}
