// Buying pages: a form whose buttons carry data-once is sent once. After the first submit its
// buttons are disabled (a tick later, so the pressed button's value still goes with the form).
// The server does not rely on this: every payment form carries an idempotency token.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.querySelector("[data-once]")) return;
  if (form.dataset.sent === "1") { event.preventDefault(); return; }
  form.dataset.sent = "1";
  setTimeout(() => {
    form.querySelectorAll("button[data-once]").forEach((b) => {
      b.disabled = true;
      b.setAttribute("aria-busy", "true");
    });
  }, 0);
});
