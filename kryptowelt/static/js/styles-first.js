/* Intentionally empty. Loaded with `defer` right after the stylesheets (base.html):
   DOMContentLoaded waits for deferred scripts, and a deferred script waits for the
   stylesheets before it. Without it, Chromium laid out the whole page once unstyled at
   DOMContentLoaded, before the CSS had arrived (in our traces only on pages with a form
   field, such as the search field in the header), and then again with the CSS: a second
   full layout of the page, the longest task on the home and comparison pages
   (Lighthouse: Total Blocking Time). */
