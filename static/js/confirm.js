// Forms that change a lot ask first: a checked box or a pressed button with data-confirm
// shows its message, and the form is sent only when the user agrees.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const asking = [...form.querySelectorAll("input[data-confirm]:checked")];
  if (event.submitter && event.submitter.dataset.confirm) asking.push(event.submitter);
  for (const element of asking) {
    if (!window.confirm(element.dataset.confirm)) {
      event.preventDefault();
      return;
    }
  }
});
