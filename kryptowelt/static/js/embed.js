// Two-click embeds: the third-party iframe is only inserted after the reader asks for it.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-embed-load]");
  if (!button) return;
  const figure = button.closest("[data-embed]");
  const template = figure && figure.querySelector("template[data-embed-html]");
  if (!template) return;
  const consent = figure.querySelector(".embed__consent");
  const frame = document.createElement("div");
  frame.className = "embed__frame";
  frame.append(template.content.cloneNode(true));
  consent.replaceWith(frame);
});
