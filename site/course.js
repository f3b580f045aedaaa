// The course's website: what the pinned theme leaves undone (course.site.check tests each in Chromium).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // 1. The sidebar buttons. pydata-sphinx-theme 0.17 listens to the first .primary-toggle / .secondary-toggle
  // only, a hidden duplicate in sphinx-book-theme's layout, so the visible buttons did nothing
  // (pydata/pydata-sphinx-theme#2451). Where the sidebar is off screen (a phone), a visible button passes its
  // click to the one the theme listens to, which opens the sidebar as a dialog; where the chapter list is on
  // screen (a desktop), its button hides and shows it, for a wider page on a projector.
  for (const side of ["primary", "secondary"]) {
    const [bound, ...visible] = document.querySelectorAll(`.${side}-toggle`);
    const sidebar = document.getElementById(`pst-${side}-sidebar`);
    if (!bound || !sidebar) continue;
    const onScreen = () => {
      const box = sidebar.getBoundingClientRect();
      return box.width > 0 && box.right > 0 && box.left < window.innerWidth && getComputedStyle(sidebar).visibility !== "hidden";
    };
    for (const button of visible) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        if (side === "primary" && onScreen() && !document.body.classList.contains("course-no-sidebar")) {
          document.body.classList.add("course-no-sidebar");
          button.setAttribute("aria-expanded", "false");
        } else if (side === "primary" && document.body.classList.contains("course-no-sidebar")) {
          document.body.classList.remove("course-no-sidebar");
          button.setAttribute("aria-expanded", "true");
        } else {
          bound.click();
        }
      });
    }
  }

  // 2. Accessible names. A control's name holds the words it shows (axe-core's label-content-name-mismatch:
  // sphinx-togglebutton names "Show code cell source" "Toggle hidden content", the theme's search button
  // shows more than "Search"); a disclosure with no words gets a name (summary-name: the chapter list's
  // arrows).
  for (const control of document.querySelectorAll("[aria-label]")) {
    const shown = (control.innerText || "").replace(/\s+/g, " ").trim();
    const label = control.getAttribute("aria-label");
    if (shown && !label.toLowerCase().includes(shown.toLowerCase())) {
      control.setAttribute("aria-label", control.tagName === "SUMMARY" ? shown : `${shown} (${label})`);
    }
  }
  const switcher = document.querySelector(".theme-switch-button");  // its name says the mode its icon shows
  if (switcher) {
    const titles = { light: "Light", dark: "Dark", auto: "System Settings" };
    const name = () => switcher.setAttribute("aria-label", `Color mode: ${titles[document.documentElement.dataset.mode] || titles.auto}`);
    new MutationObserver(name).observe(document.documentElement, { attributes: true, attributeFilter: ["data-mode"] });
    name();
  }
  for (const summary of document.querySelectorAll("details > summary")) {
    if (summary.innerText.trim() || summary.getAttribute("aria-label")) continue;
    const page = summary.closest("li")?.querySelector("a");
    summary.setAttribute("aria-label", page ? `Show the sections of ${page.textContent.trim()}` : "Show more");
  }

  // 3. Printed tables keep their columns (a box that scrolls sideways on a phone); other printed lines wrap.
  for (const block of document.querySelectorAll(".cell_output pre")) {
    const aligned = block.textContent.split("\n").filter((line) => /\S {2,}\S/.test(line));
    if (aligned.length >= 2) block.classList.add("course-columns");
  }

  // 4. A figure shown smaller than it was drawn links to its full-size image.
  for (const image of document.querySelectorAll(".cell_output img")) {
    if (image.closest("a")) continue;
    const link = document.createElement("a");
    link.href = image.getAttribute("src");
    link.className = "course-full-image";
    link.title = "Open the figure at its full size";
    image.replaceWith(link);
    link.appendChild(image);
  }
});
