// Page probes shared by the browser tests and benchmarks/a11y_sweep.py.
// window.sofsProbe.focusState(): where the focused element is, relative to viewport and header,
// and whether it can be seen at all (a control that is transparent while focused is off-screen).
// window.sofsProbe.layout(): horizontal overflow and scrollable regions keyboard users cannot reach.
window.sofsProbe = {
  focusState() {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    // Judge where a moving or fading control ends up (a focused heading link fades in), not mid-way.
    for (const a of document.getAnimations()) if (a instanceof CSSTransition) a.finish();
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const header = document.querySelector(".md-header");
    const headerBottom = header && getComputedStyle(header).position !== "static" ? header.getBoundingClientRect().bottom : 0;
    const inHeader = !!(header && header.contains(el));
    const label = (el.getAttribute("aria-label") || el.textContent || el.getAttribute("title") || "").trim().slice(0, 60);
    return {
      tag: el.tagName.toLowerCase(),
      cls: String(el.className || "").slice(0, 60),
      label,
      offscreen: r.right <= 0 || r.left >= innerWidth || r.bottom <= 0 || r.top >= innerHeight ||
        (r.width === 0 && r.height === 0) || style.visibility === "hidden" || this.transparent(el),
      underHeader: !inHeader && r.top < headerBottom - 1 && this.coveredByHeader(el, r, header),
    };
  },
  transparent(el) {
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      if (getComputedStyle(n).opacity === "0") return true;
    }
    return false;
  },
  coveredByHeader(el, r, header) {
    const x = Math.min(Math.max(r.left + Math.min(r.width / 2, 8), 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + 1, 0), innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    return !!hit && header.contains(hit) && !el.contains(hit);
  },
  layout() {
    const se = document.scrollingElement;
    const unreachable = [];
    for (const el of document.querySelectorAll("body *")) {
      if (el.scrollWidth <= el.clientWidth + 1) continue;
      const s = getComputedStyle(el);
      if (!/(auto|scroll)/.test(s.overflowX)) continue;
      if (el.clientWidth === 0) continue;
      const focusable = el.tabIndex >= 0 || el.querySelector("a[href],button,input,select,textarea,[tabindex]");
      const named = el.getAttribute("role") === "region" && (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby"));
      if (el.tabIndex < 0 || !named) unreachable.push(el.tagName.toLowerCase() + "." + String(el.className).split(" ")[0] + (focusable ? "" : " (no focusable inside)"));
    }
    return { pageWidth: se.scrollWidth, viewport: innerWidth, overflow: se.scrollWidth > innerWidth, unreachable };
  },
};
