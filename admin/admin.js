// Parley admin panel: small conveniences on top of plain forms.
"use strict";
document.addEventListener("change", (e) => {
  if (e.target.matches("select[data-autosubmit]")) e.target.form.submit();
});
document.addEventListener("submit", (e) => {
  const msg = e.target.dataset.confirm;
  if (msg && !confirm(msg)) e.preventDefault();
});
// Ctrl/Cmd+Enter sends a reply.
document.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.target.matches("textarea")) {
    e.preventDefault();
    e.target.form.requestSubmit();
  }
});
// The inbox says when comments of your sites change, on any replica.
const live = document.querySelector("[data-live-events]");
if (live && window.EventSource) {
  new EventSource("/api/v1/admin/events").addEventListener("activity", () => { live.hidden = false; });
}
