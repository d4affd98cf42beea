// Wagtail admin, page and snippet editors: no save while an autosave is still on its way.
//
// Wagtail saves a new page in the background as soon as it has changes (autosave) and, once
// the server answers, points the form at the edit view of the page it created. A click on
// "Entwurf speichern" or "Veröffentlichen" before that answer posted the form to the create
// view again: a second page with the same slug ("Der Kurztitel … wird bereits verwendet")
// next to the autosaved draft. Here a click during an autosave waits for it and is then sent
// to wherever the form points; and once a click has been sent, no autosave starts anymore.
(() => {
  const form = document.querySelector("form[data-edit-form]");
  if (!form) return;
  let autosaving = false;
  let submitting = false;
  let held = null; // { submitter } of a click that waits for the autosave

  form.addEventListener("w-autosave:save", (event) => {
    if (submitting || held) {
      event.preventDefault(); // the click on its way saves everything anyway
      return;
    }
    // Wagtail sends the request only if no one cancelled the event; look after the others.
    queueMicrotask(() => {
      if (!event.defaultPrevented) autosaving = true;
    });
  });

  // The button clicked, or its equivalent if the autosave's answer replaced it.
  const sameButton = (button) => {
    if (!button || button.isConnected) return button || undefined;
    return form.querySelector(`[type="submit"][name="${CSS.escape(button.name)}"]`) || undefined;
  };

  // Wagtail's progress controller disables the clicked button a moment after the click
  // ("Veröffentlichen …"), and a disabled button's name is not sent with the form: the held
  // "Veröffentlichen" reached the edit view as a plain save and left a draft. So the name and
  // value of a disabled button travel in a hidden field of their own.
  const submitHeld = (submitter) => {
    const button = sameButton(submitter);
    if (!button || !button.disabled || !button.name) {
      form.requestSubmit(button);
      return;
    }
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = button.name;
    field.value = button.value;
    form.append(field);
    form.requestSubmit();
  };

  const autosaveDone = () => {
    autosaving = false;
    if (held) {
      const { submitter } = held;
      held = null;
      submitHeld(submitter);
    }
  };
  form.addEventListener("w-autosave:success", autosaveDone);
  form.addEventListener("w-autosave:error", autosaveDone);

  // Capture phase on the document: before Wagtail's own handlers on the form.
  document.addEventListener(
    "submit",
    (event) => {
      if (event.target === form && autosaving) {
        event.preventDefault();
        event.stopImmediatePropagation();
        held = { submitter: event.submitter };
      }
    },
    true,
  );
  // Bubble phase on the window: after every other handler, so the form is really sent.
  window.addEventListener("submit", (event) => {
    if (event.target === form && !event.defaultPrevented) submitting = true;
  });
})();
