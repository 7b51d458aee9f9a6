/* global document, window, sessionStorage, performance, MutationObserver, Event, CSS, setTimeout, clearTimeout */
// Browser drafts of long forms (app/components/FormDrafts.tsx). A <form data-draft="key"> is saved to
// localStorage as it is typed and offered back after a reload, a crash or a lost connection, until it is
// sent. Plain script: it works on pages served without React and beside the rich-text editor, whose
// hidden `<name>Json` input it saves and restores. The server never sees drafts.
(function () {
  var script = document.currentScript;
  if (!script || window.formDraftsStarted) return;
  window.formDraftsStarted = true;
  var user = script.getAttribute("data-user") || "";
  var prefix = "form-draft:" + user + ":";
  var SENT = "form-draft-sent";
  var KEEP_DAYS = 14;
  var seen = typeof WeakSet === "function" ? new WeakSet() : null;

  function storage() {
    try {
      return window.localStorage;
    } catch {
      return null; // storage switched off: forms still work, only without drafts
    }
  }
  function keyOf(form) {
    // Per person and per page: two pupils on one classroom computer, or two assignments, never meet.
    return prefix + window.location.pathname + "#" + form.getAttribute("data-draft");
  }
  function read(key) {
    var store = storage();
    try {
      var draft = store && JSON.parse(store.getItem(key) || "null");
      if (draft && Date.now() - draft.at < KEEP_DAYS * 864e5) return draft;
    } catch {
      /* a damaged draft is no draft */
    }
    return null;
  }
  function forget(key) {
    var store = storage();
    if (store) store.removeItem(key);
  }

  // The fields a person types or chooses; files cannot be kept, hidden inputs are the page's own except
  // the editor's document.
  function kept(el) {
    if (!el.name || el.disabled) return false;
    var type = (el.type || "").toLowerCase();
    if (type === "hidden") return /Json$/.test(el.name);
    return !/^(file|password|submit|button|reset|image)$/.test(type) && el.tagName !== "BUTTON" && el.tagName !== "FIELDSET";
  }
  function editorOf(form, name) {
    var area = form.querySelector("#" + CSS.escape("f-" + name) + "[contenteditable]");
    return area || null;
  }
  function snapshot(form) {
    var fields = [];
    var els = form.elements;
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (!kept(el)) continue;
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") fields.push({ n: el.name, v: el.value, c: el.checked });
      else if (el.tagName === "SELECT" && el.multiple) {
        for (var o = 0; o < el.options.length; o++) fields.push({ n: el.name, v: el.options[o].value, c: el.options[o].selected });
      } else fields.push({ n: el.name, v: el.value });
      // With the editor live, its plain text stands in for the textarea of a page served without it.
      if (type === "hidden") {
        var name = el.name.slice(0, -4);
        var area = editorOf(form, name);
        if (area && !form.elements[name]) fields.push({ n: name, v: area.innerText.replace(/\n$/, ""), t: 1 });
      }
    }
    return fields;
  }
  // What a person sees: the editor's document is compared through its plain text.
  function visible(fields) {
    return JSON.stringify(
      fields
        .filter(function (f) {
          return !/Json$/.test(f.n);
        })
        .map(function (f) {
          return [f.n, f.v, f.c];
        }),
    );
  }
  var startOf = typeof WeakMap === "function" ? new WeakMap() : null;
  function untouched(form, fields) {
    return Boolean(startOf && startOf.get(form) === visible(fields));
  }

  var timers = {};
  function save(form) {
    var key = keyOf(form);
    clearTimeout(timers[key]);
    // The editor updates its hidden input just after the keystroke's input event.
    timers[key] = setTimeout(function () {
      var store = storage();
      if (!store || !form.isConnected) return;
      var fields = snapshot(form);
      try {
        if (untouched(form, fields)) store.removeItem(key);
        else store.setItem(key, JSON.stringify({ at: Date.now(), fields: fields }));
      } catch {
        /* storage full: the form itself is unaffected */
      }
    }, 300);
  }

  // Through the prototype's setter and a real event, so fields that React controls follow too.
  function setValue(el, value) {
    var proto = el.tagName === "TEXTAREA" ? window.HTMLTextAreaElement : el.tagName === "SELECT" ? window.HTMLSelectElement : window.HTMLInputElement;
    Object.getOwnPropertyDescriptor(proto.prototype, "value").set.call(el, value);
    el.dispatchEvent(new Event(el.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
  }
  function setField(form, field, fields, counts) {
    var list = form.querySelectorAll("[name=" + JSON.stringify(field.n) + "]");
    if (field.c !== undefined) {
      for (var i = 0; i < list.length; i++) {
        if (list[i].tagName === "SELECT") {
          for (var o = 0; o < list[i].options.length; o++) if (list[i].options[o].value === field.v) list[i].options[o].selected = field.c;
          list[i].dispatchEvent(new Event("change", { bubbles: true }));
        } else if (list[i].value === field.v && list[i].checked !== field.c) list[i].click();
      }
      return;
    }
    var at = counts[field.n] || 0;
    counts[field.n] = at + 1;
    var el = list[at];
    if (!el) return;
    if (el.type === "hidden") {
      // The editor is live: hand it the document; it listens for this event.
      el.value = field.v;
      el.dispatchEvent(new Event("draft-restore"));
      return;
    }
    if (el.tagName === "TEXTAREA") {
      // If the editor has yet to take this textarea over, it starts from the draft's rich document as
      // long as the text is still the one restored here.
      for (var j = 0; j < fields.length; j++) {
        if (fields[j].n !== field.n + "Json" || !fields[j].v) continue;
        el.setAttribute("data-draft-json", fields[j].v);
        el.setAttribute("data-draft-text", field.v);
      }
    }
    setValue(el, field.v);
  }
  function restore(form, draft) {
    var counts = {};
    for (var i = 0; i < draft.fields.length; i++) {
      var field = draft.fields[i];
      // The editor's plain text goes only into a textarea (the editor is not there yet).
      if (field.t && !form.querySelector("textarea[name=" + JSON.stringify(field.n) + "]")) continue;
      if (/Json$/.test(field.n) && !form.querySelector("input[type=hidden][name=" + JSON.stringify(field.n) + "]")) continue;
      setField(form, field, draft.fields, counts);
    }
  }

  function twoDigits(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function offer(form, draft) {
    var key = keyOf(form);
    var time = new Date(draft.at);
    var box = document.createElement("div");
    box.className = "draft-offer";
    box.setAttribute("role", "status");
    var text = document.createElement("p");
    text.textContent = (script.getAttribute("data-kept") || "").replace("{{time}}", twoDigits(time.getHours()) + ":" + twoDigits(time.getMinutes()));
    var restoreButton = document.createElement("button");
    restoreButton.type = "button";
    restoreButton.className = "primary";
    restoreButton.textContent = script.getAttribute("data-restore");
    var discardButton = document.createElement("button");
    discardButton.type = "button";
    discardButton.textContent = script.getAttribute("data-discard");
    restoreButton.addEventListener("click", function () {
      restore(form, draft);
      box.remove();
      save(form);
    });
    discardButton.addEventListener("click", function () {
      forget(key);
      box.remove();
    });
    box.appendChild(text);
    box.appendChild(restoreButton);
    box.appendChild(discardButton);
    form.parentNode.insertBefore(box, form);
  }

  // A form that was sent: gone on the next page (or the page moved on) means it arrived; the same form
  // with a field error means it was refused and the draft goes on. A reload or "back" after a lost
  // connection shows the same form without errors: the draft is kept.
  function sentMarker() {
    try {
      var marker = JSON.parse(sessionStorage.getItem(SENT) || "null");
      return marker && Date.now() - marker.at < 30 * 60e3 ? marker : null;
    } catch {
      return null;
    }
  }
  function refused(form) {
    return Boolean(form.querySelector("[aria-invalid=true]") || (form.parentNode && form.parentNode.querySelector(":scope > [role=alert]")));
  }
  function settle(firstLook) {
    var marker = sentMarker();
    if (!marker) return;
    if (document.getElementById("error-title")) return; // a failure page: nothing was saved
    var form = null;
    var forms = document.querySelectorAll("form[data-draft]");
    for (var i = 0; i < forms.length; i++) if (keyOf(forms[i]) === marker.key) form = forms[i];
    if (firstLook) {
      var navigation = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
      var revisit = navigation && (navigation.type === "reload" || navigation.type === "back_forward");
      if (!form || (!revisit && !refused(form))) forget(marker.key);
    } else if (!form || window.location.pathname !== marker.path) forget(marker.key);
    else if (!refused(form) || marker.refused) return; // still on its way
    sessionStorage.removeItem(SENT);
  }

  function look(firstLook) {
    // The form just sent and refused is back with what was sent in it (and whatever was typed into it
    // since, before this script arrived): its draft is that same text, not one to offer back.
    var sent = sentMarker();
    settle(firstLook);
    var marker = sentMarker() || sent;
    var forms = document.querySelectorAll("form[data-draft]");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      if (seen && seen.has(form)) continue;
      if (seen) seen.add(form);
      var draft = read(keyOf(form));
      var now = visible(snapshot(form));
      if (startOf) startOf.set(form, now);
      if (draft && !(marker && marker.key === keyOf(form)) && visible(draft.fields) !== now) offer(form, draft);
    }
  }

  function formOf(event) {
    var target = event.target;
    var form = target && (target.form || (target.closest && target.closest("form")));
    return form && form.hasAttribute("data-draft") ? form : null;
  }
  function onChange(event) {
    var form = formOf(event);
    if (form) save(form);
  }
  document.addEventListener("input", onChange, true);
  document.addEventListener("change", onChange, true);
  document.addEventListener("rich-text-change", onChange, true);
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (form.getAttribute("action") === "/logout") {
        // A shared classroom computer: the next person signs in on it.
        var store = storage();
        for (var i = store ? store.length - 1 : -1; i >= 0; i--) if (store.key(i).indexOf(prefix) === 0) store.removeItem(store.key(i));
        return;
      }
      if (!form.hasAttribute("data-draft")) return;
      var key = keyOf(form);
      clearTimeout(timers[key]);
      var drafts = storage();
      try {
        if (drafts) drafts.setItem(key, JSON.stringify({ at: Date.now(), fields: snapshot(form) }));
        sessionStorage.setItem(SENT, JSON.stringify({ key: key, path: window.location.pathname, refused: refused(form), at: Date.now() }));
      } catch {
        /* without storage there is no draft to settle */
      }
    },
    true,
  );

  function start() {
    look(true);
    watch();
  }
  // A page React hydrates must not be changed before it has (an unexpected element makes React throw
  // the server's markup away, and what was typed with it); FormDraftsScript says when it is done.
  if (document.querySelector("meta[name=i18n-namespaces]") && !window.pageHydrated) document.addEventListener("page-hydrated", start, { once: true });
  else start();

  // Pages with React change without loading (a refused form's errors, moving between pages).
  function watch() {
    if (typeof MutationObserver !== "function") return;
    var pending = false;
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      setTimeout(function () {
        pending = false;
        look(false);
      }, 200);
    }).observe(document.body, { childList: true, subtree: true });
  }
})();
