// Which functions of the built main bundle ran, read from the V8 coverage the app processes write
// (NODE_V8_COVERAGE): the evidence that every function of the Electron wiring runs in these tests.
// The bundle keeps each source module under a `// main/...` comment, so a function is named by the
// module it came from.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import ts from 'typescript'

export interface BundleFunction {
  module: string
  /** Where it starts in the bundle, for the report: `line:name`. */
  label: string
  /** Offsets of the whole function and of its body, as V8 counts them. */
  pos: number
  bodyStart: number
  end: number
}

export function functionsOf(bundle: string): BundleFunction[] {
  const text = readFileSync(bundle, 'utf8')
  const source = ts.createSourceFile(bundle, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
  const sections = [...text.matchAll(/^\/\/ (\S+\.tsx?)$/gm)].map((match) => ({
    module: match[1]!,
    offset: match.index,
  }))
  const moduleAt = (offset: number) =>
    sections.findLast((section) => section.offset <= offset)?.module ?? '(bundle)'
  const found: BundleFunction[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = node.getStart(source)
      const line = source.getLineAndCharacterOfPosition(start).line + 1
      const name = node.name?.getText(source) ?? text.slice(start, start + 30).split('\n')[0]
      found.push({
        module: moduleAt(start),
        label: `${line}:${name}`,
        pos: node.pos,
        bodyStart: (node.body as ts.Node).getStart(source),
        end: node.end,
      })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

interface V8Function {
  ranges: { startOffset: number; endOffset: number; count: number }[]
}

/** The functions of `bundle` that were called at least once in any coverage file of `dir`. */
export function calledFunctions(dir: string, bundle: string): Set<string> {
  const url = pathToFileURL(bundle).href
  const called: V8Function['ranges'] = []
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const { result } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      result: { url: string; functions: V8Function[] }[]
    }
    for (const script of result.filter((entry) => entry.url === url)) {
      for (const fn of script.functions) if (fn.ranges[0]!.count > 0) called.push(fn.ranges[0]!)
    }
  }
  const ran = (fn: BundleFunction) =>
    called.some(
      (range) =>
        range.endOffset === fn.end &&
        range.startOffset >= fn.pos &&
        range.startOffset <= fn.bodyStart,
    )
  return new Set(
    functionsOf(bundle)
      .filter(ran)
      .map((fn) => `${fn.module} ${fn.label}`),
  )
}
