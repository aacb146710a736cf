// "Live code" (sphinx-thebe) loads the Thebe library from unpkg.com and then asks
// mybinder.org for a kernel. Offline, or when either cannot be reached, sphinx-thebe
// leaves its button reading "Loading thebe from CDN..." for ever. Say what happened
// instead, and what to do.
window.addEventListener("error", (event) => {
  const script = event.target;
  if (!(script instanceof HTMLScriptElement) || typeof THEBE_JS_URL === "undefined") return;
  if (script.src !== THEBE_JS_URL) return;
  for (const button of document.querySelectorAll(".thebe-launch-button")) {
    button.classList.add("synthbio-livecode-offline");
    button.textContent = "Live code needs an internet connection: the Thebe library " +
      "(unpkg.com) could not be loaded, so no kernel was started. Run this chapter " +
      "locally, or download it with its outputs from the download menu.";
  }
}, true);  // resource errors do not bubble: listen while they are captured
