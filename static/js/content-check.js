// Live feedback from the content checker while a teacher types.
// Progressive enhancement: the form is checked on the server anyway. Any textarea with
// data-content-check-url gets its findings, debounced, in the aria-live region named by
// data-content-check-region. Text is inserted with textContent only, never as HTML.
(function () {
  "use strict";

  var DELAY_MS = 400;

  function csrfToken(field) {
    var form = field.form;
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) {
      return input.value;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function render(region, findings, lang) {
    region.textContent = "";
    if (!findings.length) {
      return;
    }
    var title = document.createElement("p");
    title.className = "content-check__title";
    title.textContent = lang === "en" ? "The text cannot be saved as it is:" : "Texten kan inte sparas som den är:";
    region.appendChild(title);
    var list = document.createElement("ul");
    list.className = "content-check__findings";
    findings.forEach(function (finding) {
      var item = document.createElement("li");
      item.className = "content-check__finding content-check__finding--" + finding.category;
      var quote = document.createElement("q");
      quote.className = "content-check__snippet";
      var mark = document.createElement("mark");
      mark.textContent = finding.match;
      quote.appendChild(mark);
      var message = document.createElement("span");
      message.className = "content-check__message";
      message.textContent = finding.message;
      item.appendChild(quote);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(message);
      list.appendChild(item);
    });
    region.appendChild(list);
  }

  function attach(field) {
    var url = field.getAttribute("data-content-check-url");
    var region = document.getElementById(field.getAttribute("data-content-check-region"));
    if (!url || !region) {
      return;
    }
    var lang = (document.documentElement.lang || "sv").slice(0, 2);
    var timer = null;
    var controller = null;
    var sequence = 0;

    function run() {
      var mine = ++sequence;
      if (controller) {
        controller.abort();
      }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(field) },
        body: JSON.stringify({ text: field.value }),
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && mine === sequence) {
            render(region, data.findings || [], lang);
            field.setAttribute("aria-invalid", data.ok ? "false" : "true");
          }
        })
        .catch(function () {
          // Offline or aborted: the server checks again on submit.
        });
    }

    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, DELAY_MS);
    });
  }

  function init() {
    var fields = document.querySelectorAll("textarea[data-content-check-url]");
    Array.prototype.forEach.call(fields, attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
