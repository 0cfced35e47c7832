// Reading-age figures as editors type (reviews/admin/readability.py). Each region
// [data-readability-field] sits under its field in the same fieldset; on input, after a
// pause, the field's text is posted to the staff-only endpoint and the returned HTML (our
// own template, escaped there) replaces the region's content, which is aria-live="polite".
// Without this script the figures shown are those of the saved text.
(function () {
  "use strict";
  var DELAY_MS = 700;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function attach(region) {
    var name = region.getAttribute("data-readability-field");
    var scope = region.closest(".inline-related") || region.closest("fieldset") || document;
    var field = scope.querySelector(".field-" + name + " textarea, textarea[name$='-" + name + "'], textarea[name='" + name + "']");
    if (!field || field.dataset.readabilityAttached) {
      return;
    }
    field.dataset.readabilityAttached = "1";
    var timer = null;
    var sent = 0;
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var number = ++sent;
        var body = new FormData();
        body.append("text", field.value);
        body.append("field", name);
        body.append("language", region.getAttribute("data-readability-language") || "en");
        fetch(region.getAttribute("data-readability-url"), {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken() }
        })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            if (number !== sent) {
              return; // an older answer arriving late
            }
            if (data.html !== undefined) {
              region.innerHTML = data.html;
            } else if (data.error) {
              region.textContent = data.error;
            }
          })
          .catch(function () { /* figures stay as they were; saving is unaffected */ });
      }, DELAY_MS);
    });
  }

  function attachAll() {
    document.querySelectorAll("[data-readability-field]").forEach(attach);
  }

  document.addEventListener("DOMContentLoaded", attachAll);
  // Inline rows added with "Add another" bring their own region.
  document.addEventListener("formset:added", attachAll);
})();
