// axe-core over the page as it is now, failing on any violation of WCAG 2.2 A/AA or best practice.
import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']

/** Fails on any axe violation, naming the rule and the elements so the report says what to fix. */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze()
  const found = violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  )
  expect(found, `axe violations in ${state}`).toEqual([])
}
