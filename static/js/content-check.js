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

  var CONTEXT = 60;

  // The words around the finding, when the offsets point into the textarea's own text
  // (plain text; for HTML the offsets refer to its plain text and only the words are shown).
  function snippet(text, finding) {
    if (text.slice(finding.start, finding.end) !== finding.match) {
      return { before: "", after: "" };
    }
    var lo = Math.max(0, finding.start - CONTEXT);
    var hi = Math.min(text.length, finding.end + CONTEXT);
    return {
      before: (lo ? "…" : "") + text.slice(lo, finding.start),
      after: text.slice(finding.end, hi) + (hi < text.length ? "…" : ""),
    };
  }

  function render(region, findings, lang, text) {
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
      var around = snippet(text, finding);
      var mark = document.createElement("mark");
      mark.textContent = finding.match;
      quote.appendChild(document.createTextNode(around.before));
      quote.appendChild(mark);
      quote.appendChild(document.createTextNode(around.after));
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
    var writer = field.getAttribute("data-content-check-writer");
    var systems = null;
    try {
      systems = JSON.parse(field.getAttribute("data-content-check-systems") || "null");
    } catch (error) {
      systems = null;
    }
    var timer = null;
    var controller = null;
    var sequence = 0;

    function run() {
      var mine = ++sequence;
      var text = field.value;
      if (controller) {
        controller.abort();
      }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(field) },
        body: JSON.stringify({ text: text, writer: writer, systems: systems }),
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && mine === sequence) {
            render(region, data.findings || [], lang, text);
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
