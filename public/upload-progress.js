/* global document, window, XMLHttpRequest, FormData */
// Progress for forms marked data-upload-progress (app/components/UploadProgress.tsx). Without this
// script the form posts as usual; with it the same request goes by XHR so the bar can move.
(function () {
  var slot = document.getElementById("upload-progress");
  if (!slot || !window.FormData) return;
  var bar = slot.querySelector("progress");
  var pct = slot.querySelector(".upload-progress-pct");
  var status = slot.querySelector("[role=status]");
  function show(p, key) {
    bar.value = p;
    pct.textContent = p + "%";
    if (key) status.textContent = slot.getAttribute(key);
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute("data-upload-progress")) return;
    event.preventDefault();
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
      document.open();
      document.write(xhr.responseText);
      document.close();
    };
    xhr.onerror = function () {
      show(0, "data-failed");
      enable(true);
    };
    xhr.send(data);
  });
})();
