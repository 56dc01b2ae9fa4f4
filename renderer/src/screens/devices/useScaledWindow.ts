// Which rows of a very long list are in view, for a list taller than a browser can scroll.
// Chromium caps an element's height near 33.5 million pixels (a million rows of 36 px need 36
// million), so the scroll space is capped at MAX_SCROLL_PX and the scroll position is scaled onto
// the list: dragging the scroll bar to the end shows the last row, and scrolling by wheel or keys
// still moves row by row (each pixel scrolled moves `scale` pixels of rows, a little over one).
import { useEffect, useLayoutEffect, useState, type RefObject } from 'react'

const MAX_SCROLL_PX = 15_000_000
/**
 * The height the first render draws rows for, before the list is measured: main draws the opening
 * screen's markup with no window to measure, and the window's first render must draw the same
 * rows. A tall window's table: the rows past a smaller one's edge are clipped, and dropped once
 * the list is measured.
 */
const FIRST_RENDER_HEIGHT_PX = 1080

export interface ScaledWindow {
  /** The height of the scrolled content, capped. */
  scrollHeight: number
  /** The first and one-past-last index to draw, overscan included. */
  start: number
  end: number
  /** Where row `index` goes inside the scrolled content. */
  top: (index: number) => number
}

export function useScaledWindow(
  scrollRef: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  overscan: number,
): ScaledWindow {
  const [view, setView] = useState({ scrollTop: 0, height: FIRST_RENDER_HEIGHT_PX })
  // The first frame draws the rows in view and no more; those past its edges come a frame later.
  const [overscanned, setOverscanned] = useState(false)

  useLayoutEffect(() => {
    const element = scrollRef.current
    if (!element) return
    const measure = () => {
      const { scrollTop, clientHeight: height } = element
      setView((old) =>
        old.scrollTop === scrollTop && old.height === height ? old : { scrollTop, height },
      )
    }
    // Measured before the first paint, in the layout that paint needs anyway, so the first frame
    // has the rows that fill the view; the observer then follows the window's size.
    measure()
    const resize = new ResizeObserver(measure)
    resize.observe(element)
    element.addEventListener('scroll', measure, { passive: true })
    return () => {
      resize.disconnect()
      element.removeEventListener('scroll', measure)
    }
  }, [scrollRef])

  useEffect(() => {
    const frame = requestAnimationFrame(() => setOverscanned(true))
    return () => cancelAnimationFrame(frame)
  }, [])

  const fullHeight = count * rowHeight
  const scrollHeight = Math.min(fullHeight, MAX_SCROLL_PX)
  // Pixels of rows per pixel scrolled, so that the last scroll position shows the last row.
  const scrollable = scrollHeight - view.height
  const scale = scrollable > 0 ? (fullHeight - view.height) / scrollable : 1
  const scrollTop = Math.min(view.scrollTop, Math.max(0, scrollable))
  const offset = scrollTop * scale
  const first = Math.floor(offset / rowHeight)
  const visible = Math.ceil(view.height / rowHeight) + 1
  const margin = overscanned ? overscan : 0
  return {
    scrollHeight,
    start: Math.max(0, first - margin),
    end: Math.min(count, first + visible + margin),
    top: (index) => scrollTop + index * rowHeight - offset,
  }
}
