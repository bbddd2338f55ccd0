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
// Saved answers: "Insert" fills the reply box in place (without script it
// reloads the page with the answer filled in), and remembers which answer
// the reply started from.
document.addEventListener("click", (e) => {
  const btn = e.target.closest("[data-answer-insert]");
  if (!btn) return;
  const form = btn.form, pick = form.querySelector("[data-answer-pick]");
  const opt = pick && pick.selectedOptions[0];
  e.preventDefault();
  if (!opt || !opt.value) { pick.focus(); return; }
  const box = form.querySelector("textarea[name=body]");
  if (box.value.trim() && box.value !== box.dataset.inserted && !confirm("Replace what you wrote with this saved answer?")) return;
  box.value = box.dataset.inserted = opt.dataset.body;
  form.querySelector("[data-answer-id]").value = opt.value;
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
});
// A reply box emptied is no longer a saved answer's.
document.addEventListener("input", (e) => {
  if (e.target.matches("textarea[name=body]") && !e.target.value.trim()) {
    const id = e.target.form.querySelector("[data-answer-id]");
    if (id) id.value = "";
  }
});
