// The download menu's "with outputs" entry (see _ext/synthbio_downloads.py): save the
// notebook as <chapter>.ipynb instead of opening its JSON in a new tab.
document.addEventListener("DOMContentLoaded", () => {
  for (const link of document.querySelectorAll("a.btn-download-executed-notebook-button")) {
    link.setAttribute("download", link.pathname.split("/").pop());
    link.removeAttribute("target");
  }
});
