// The sidebar toggles. pydata-sphinx-theme and sphinx-book-theme both attach their
// handlers to the *first* .primary-toggle / .secondary-toggle in the page, which is a
// hidden duplicate in the book theme's layout (pydata-sphinx-theme issue #2451), so the
// visible menu and "Contents" buttons did nothing. Forward their clicks to the button
// that has the handlers.
document.addEventListener("DOMContentLoaded", () => {
  for (const selector of [".primary-toggle", ".secondary-toggle"]) {
    const buttons = Array.from(document.querySelectorAll(selector));
    const target = buttons[0];
    for (const button of buttons.slice(1)) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        target.click();
      });
    }
  }
});
