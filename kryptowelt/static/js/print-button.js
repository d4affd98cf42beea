// Shows the "Drucken" button on the tax print view and opens the browser's print dialog.
// Without JavaScript the button stays hidden and the browser's own print command works.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
