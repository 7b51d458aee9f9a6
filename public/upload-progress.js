/* global document, window, XMLHttpRequest, FormData, DOMParser, HTMLFormElement */
// Progress for forms marked data-upload-progress (app/components/UploadProgress.tsx) on pages that do
// not hydrate. Without this script the form posts as usual; with it the same request goes by XHR so the
// bar can move. A hydrated page sends its forms through Remix (errors come back as action data, the
// editor keeps its state), so the script stands aside there: window.__remixContext is set by an inline
// script that runs before this deferred one.
(function () {
  if (window.__remixContext || !window.FormData || !window.DOMParser) return;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var slot = document.getElementById("upload-progress");
    if (event.defaultPrevented || !slot || !form.hasAttribute("data-upload-progress")) return;
    event.preventDefault();
    var bar = slot.querySelector("progress");
    var pct = slot.querySelector(".upload-progress-pct");
    var status = slot.querySelector("[role=status]");
    function show(p, key) {
      bar.value = p;
      pct.textContent = p + "%";
      if (key) status.textContent = slot.getAttribute(key);
    }
    var data = new FormData(form);
    var by = event.submitter;
    if (by && by.name) data.append(by.name, by.value);
    var buttons = form.querySelectorAll("button,[type=submit]");
    function enable(on) {
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = !on;
    }
    enable(false);
    form.appendChild(slot);
    slot.hidden = false;
    show(0, "data-uploading");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) show(Math.min(99, Math.floor((e.loaded / e.total) * 100)));
    };
    xhr.onload = function () {
      show(100, xhr.status < 400 ? "data-done" : "data-failed");
      // A redirect (a post that worked) is followed; any other answer (the form with its errors) shown.
      // form.action keeps the page's #fragment and responseURL never has one, so compare without it.
      if (xhr.responseURL && xhr.responseURL !== form.action.split("#")[0]) return window.location.assign(xhr.responseURL);
      showAnswer(xhr.responseText, form, by);
    };
    xhr.onerror = function () {
      show(0, "data-failed");
      enable(true);
    };
    xhr.send(data);
  });

  // Never document.write: that replaces the page whose scripts the CSP nonce allowed with one whose
  // scripts it blocks. Only the answer's <main> is moved in; scripts parsed by DOMParser never run.
  function showAnswer(html, form, by) {
    var answer = new DOMParser().parseFromString(html, "text/html");
    var fresh = answer.getElementById("main");
    var main = document.getElementById("main");
    if (!fresh || !main) {
      // An answer without the page's frame (a proxy's error page…): send the form the plain way.
      if (by && by.name) {
        var pressed = document.createElement("input");
        pressed.type = "hidden";
        pressed.name = by.name;
        pressed.value = by.value;
        form.appendChild(pressed);
      }
      return HTMLFormElement.prototype.submit.call(form);
    }
    // A copy first: adopting a node takes it out of the live childNodes list being walked.
    main.replaceChildren.apply(
      main,
      Array.prototype.slice.call(fresh.childNodes).map(function (n) {
        return document.adoptNode(n);
      }),
    );
    if (answer.title) document.title = answer.title;
    var problem = main.querySelector("[role=alert], .has-error input, .has-error textarea, .error");
    if (problem) {
      if (!problem.hasAttribute("tabindex") && !/^(INPUT|TEXTAREA|SELECT)$/.test(problem.tagName)) problem.setAttribute("tabindex", "-1");
      problem.focus();
    }
  }
})();
