/* Keyboard and screen-reader fixes to Material's page furniture (WCAG 2.2 AA).
   Checked by tests/browser (keyboard walks, axe-core) in Debian's chromium.

   - The menu and search buttons are <label>s for hidden checkboxes in Material: they become
     real, named buttons (Tab, Enter, Space) that say whether they are expanded.
   - The navigation drawer (below 1220 px) and the search overlay are `inert` while closed,
     so no link hides off-screen in the Tab order; Escape closes the drawer.
   - Every scrolling table region can be focused and scrolled with the keyboard, and is
     named after the table's caption.
   - Acronyms (<abbr title>) can be focused or tapped, which shows Material's tooltip. */
(function () {
  "use strict";

  var DRAWER_MEDIA = window.matchMedia("(max-width: 76.2344em)"); // Material's drawer breakpoint
  var SEARCH_MEDIA = window.matchMedia("(max-width: 59.984em)"); // search is an overlay below it

  function toggle(name) {
    return document.querySelector('input[data-md-toggle="' + name + '"]');
  }

  function setInert(element, inert) {
    if (!element) return;
    if (inert) {
      element.setAttribute("inert", "");
    } else {
      element.removeAttribute("inert");
    }
  }

  function update() {
    var drawer = toggle("drawer");
    var search = toggle("search");
    var drawerOpen = !!(drawer && drawer.checked);
    var searchOpen = !!(search && search.checked);
    setInert(document.querySelector(".md-sidebar--primary"), DRAWER_MEDIA.matches && !drawerOpen);
    var overlay = document.querySelector(".md-search");
    var output = document.querySelector(".md-search__output");
    setInert(overlay, SEARCH_MEDIA.matches && !searchOpen);
    setInert(output, !SEARCH_MEDIA.matches && !searchOpen);
    /* The close button is only a Tab stop while the search is open. */
    document.querySelectorAll("button.sofs-search-close").forEach(function (button) {
      button.tabIndex = searchOpen ? 0 : -1;
    });
    document.querySelectorAll("button.sofs-toggle-button").forEach(function (button) {
      var input = document.getElementById(button.dataset.sofsToggle);
      button.setAttribute("aria-expanded", input && input.checked ? "true" : "false");
    });
  }

  /* Material opens and closes the drawer and search by setting `checked` from script,
     which fires no event: watch the property so `inert` changes before focus moves. */
  function watchChecked(input) {
    if (!input) return;
    var property = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "checked");
    Object.defineProperty(input, "checked", {
      configurable: true,
      get: function () {
        return property.get.call(this);
      },
      set: function (value) {
        property.set.call(this, value);
        update();
      },
    });
    input.addEventListener("change", update);
  }

  /* A <label> may not have a button role, so the label is replaced by a real button with
     the same look that toggles the same checkbox (Material's styles and scripts only
     look at the checkbox and the classes). */
  function makeButton(label, name) {
    if (!label) return null;
    var input = document.getElementById(label.htmlFor);
    if (!input) return null;
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className + " sofs-toggle-button";
    button.setAttribute("aria-label", name);
    button.setAttribute("aria-controls", input.id);
    button.dataset.sofsToggle = input.id;
    button.setAttribute("for", input.id); // Material's styles select `[for=__drawer]` etc.
    while (label.firstChild) button.appendChild(label.firstChild);
    button.addEventListener("click", function () {
      /* Through the watched `checked` first, so the search is no longer inert when
         Material's change handler moves focus into it. */
      input.checked = !input.checked;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      if (input.id === "__search") {
        var target = input.checked
          ? document.querySelector(".md-search__input")
          : document.querySelector(".md-header__button[data-sofs-toggle=__search]");
        if (target) target.focus();
      }
    });
    label.replaceWith(button);
    return button;
  }

  function buttons() {
    var menu = makeButton(document.querySelector('.md-header label[for="__drawer"]'), "Menu");
    var searchName = document.querySelector(".md-search__input");
    makeButton(
      document.querySelector('.md-header > * > label[for="__search"], .md-header__inner > label[for="__search"]'),
      (searchName && searchName.getAttribute("aria-label")) || "Search"
    );
    var close = makeButton(document.querySelector('.md-search__form label[for="__search"]'), "Close search");
    if (close) close.classList.add("sofs-search-close");
    var drawer = toggle("drawer");
    if (drawer) {
      drawer.addEventListener("change", function () {
        if (drawer.checked) {
          var first = document.querySelector(".md-sidebar--primary a[href], .md-sidebar--primary [tabindex='0']");
          if (first && DRAWER_MEDIA.matches) first.focus();
        }
      });
    }
    var search = toggle("search");
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      if (drawer && drawer.checked) {
        drawer.checked = false;
        if (menu) menu.focus();
      }
      /* Material closes the search on Escape and drops focus: put it back on the button. */
      if (search && search.checked) {
        setTimeout(function () {
          var button = document.querySelector(".md-header__button[data-sofs-toggle=__search]");
          if (!search.checked && button && button.offsetParent !== null && document.activeElement === document.body) {
            button.focus();
          }
        }, 0);
      }
    });
  }

  /* Browsers keep a focused element clear of the header with `scroll-padding-top` (a11y.css),
     except one taller than the window, which Shift+Tab shows from its bottom: bring its
     top, where the focus ring starts, below the header. */
  function keepFocusClearOfHeader(event) {
    var header = document.querySelector(".md-header");
    var element = event.target;
    if (!header || !(element instanceof HTMLElement) || header.contains(element)) return;
    if (element.offsetParent === null) return; // fixed in place (back-to-top, skip link): scrolling cannot move it
    var headerBottom = header.getBoundingClientRect().bottom;
    var box = element.getBoundingClientRect();
    if (box.top < headerBottom - 1 && box.bottom > 0) {
      window.scrollBy({ top: box.top - headerBottom - 8, behavior: "instant" });
    }
  }

  function tableRegions() {
    var count = 0;
    document.querySelectorAll(".md-typeset table").forEach(function (table) {
      if (table.closest("[role=region]")) return; // already a named region (the counting page)
      var region = table.closest(".md-typeset__scrollwrap") || table.parentElement;
      if (!region) return;
      if (region.querySelectorAll("table").length !== 1) return;
      count += 1;
      var caption = table.querySelector("caption");
      var header = table.querySelector("th");
      var name = caption ? caption.textContent : header ? "Table: " + header.textContent + ", …" : "Table " + count;
      region.setAttribute("role", "region");
      region.setAttribute("tabindex", "0");
      region.setAttribute("aria-label", name.replace(/\s+/g, " ").trim());
      region.classList.add("sofs-table-region");
    });
  }

  function acronyms() {
    document.querySelectorAll(".md-typeset abbr[title], .md-typeset abbr[aria-describedby]").forEach(function (abbr) {
      if (abbr.closest("a, button, label, summary, [role=button]")) return;
      if (!abbr.hasAttribute("tabindex")) abbr.setAttribute("tabindex", "0");
    });
  }

  function start() {
    /* A browser may restore the toggles' state on reload or Back: start closed. */
    ["drawer", "search"].forEach(function (name) {
      var input = toggle(name);
      if (input) input.checked = false;
    });
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      ["drawer", "search"].forEach(function (name) {
        var input = toggle(name);
        if (input) input.checked = false;
      });
    });
    watchChecked(toggle("drawer"));
    watchChecked(toggle("search"));
    buttons();
    tableRegions();
    acronyms();
    update();
    document.addEventListener("focusin", keepFocusClearOfHeader);
    DRAWER_MEDIA.addEventListener("change", update);
    SEARCH_MEDIA.addEventListener("change", update);
    /* Material wraps tables in its scroll wrapper from its own start-up script. */
    window.addEventListener("load", tableRegions);
    setTimeout(tableRegions, 0);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
