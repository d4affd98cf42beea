// Lexicon term definitions show on hover and focus (pure CSS); Escape hides them again
// without moving focus or the pointer (WCAG 1.4.13, "dismissible").
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll(".term:hover, .term:focus-within").forEach((term) => {
    term.classList.add("term--dismissed");
  });
});
const undismiss = (event) => {
  const term = event.target.closest && event.target.closest(".term--dismissed");
  if (term) term.classList.remove("term--dismissed");
};
document.addEventListener("mouseout", undismiss);
document.addEventListener("focusout", undismiss);
