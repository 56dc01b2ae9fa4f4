// Installed in the page before any of its own scripts (page.addInitScript), on our renderer and on
// the anchor alike: reports on the console, as "first-row-paint <ms>", the moment (ms since
// navigation started) when the element holding the first device's serial number was first
// painted, as Chromium's Element Timing reports it (the entry's renderTime). The pages are not
// changed for it: a MutationObserver gives the element its elementtiming attribute in the task
// that inserted it, before any paint. The bench waits for that console line rather than polling
// the page, so nothing of Playwright's runs in the page meanwhile.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- bench/renderer.ts appends the call
function watchFirstRow(serial) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.identifier === 'first-row') console.debug(`first-row-paint ${entry.renderTime}`)
    }
  }).observe({ type: 'element', buffered: true })
  const mutations = new MutationObserver(() => {
    const holder = document.evaluate(
      `//*[text()='${serial}']`,
      document,
      null,
      XPathResult.FIRST_ORDERED_NODE_TYPE,
      null,
    ).singleNodeValue
    if (!holder) return
    holder.setAttribute('elementtiming', 'first-row')
    mutations.disconnect()
  })
  mutations.observe(document, { childList: true, subtree: true, characterData: true })
}
