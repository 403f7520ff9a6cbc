// The officer's enrolment desk: poll the issued challenge's status until the citizen's phone
// has enrolled (or the code expired) and say so; the page works without it (reload).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("desk-status");
  if (!box || !box.classList.contains("usa-alert--info")) return;
  const say = (kind, template) => {
    box.className = `usa-alert usa-alert--${kind} usa-alert__text`;
    box.textContent = document.getElementById(template).content.textContent.trim();
  };
  const timer = setInterval(async () => {
    try {
      const answer = await (await fetch(box.dataset.url, { credentials: "same-origin" })).json();
      if (answer.used) say("success", "text-done");
      else if (answer.expired) say("error", "text-expired");
      else return;
      clearInterval(timer);
    } catch (_error) {
      // no signal for a moment: try again at the next tick
    }
  }, 2000);
});
