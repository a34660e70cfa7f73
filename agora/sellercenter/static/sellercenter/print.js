// The pick list's Print button (a script file: the Content-Security-Policy refuses inline handlers).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
