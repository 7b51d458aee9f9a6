/* global document, window, DataTransfer, File, OffscreenCanvas, createImageBitmap */
// Checks files as they are chosen in inputs marked data-file-check (app/components/AttachedFilesField.tsx):
// on a 64 kbps link a file the server will refuse must be refused before the hour it takes to send, and a
// phone photo must not travel at camera size. The limit, the accepted kinds and the (translated) messages
// come from the input's data attributes, so this script holds no limit and no text of its own. Bad files
// are taken out of the input so the form cannot send them; without this script the server refuses them.
(function () {
  if (window.fileCheck) return;
  var LONG_SIDE = 2000; // a page of handwriting stays readable to a teacher
  var QUALITY = 0.8;
  var canReplace = (function () {
    try {
      return typeof DataTransfer === "function" && !!new DataTransfer().items;
    } catch {
      return false;
    }
  })();
  var canShrink = canReplace && typeof createImageBitmap === "function" && typeof Promise === "function" && !!document.createElement("canvas").toBlob;

  function extension(name) {
    var match = /\.([^.]+)$/.exec(name || "");
    return match ? match[1].toLowerCase() : "";
  }
  function isHeic(file) {
    return /^image\/hei[cf]$/.test(file.type) || /^hei[cf]$/.test(extension(file.name));
  }
  function isPhoto(file) {
    return /^image\/(jpeg|png)$/.test(file.type) || /^(jpe?g|png)$/.test(extension(file.name)) || isHeic(file);
  }
  function accepted(input, file) {
    var exts = (input.getAttribute("accept") || "").split(",");
    var types = (input.getAttribute("data-types") || "").split(",");
    return exts.indexOf("." + extension(file.name)) >= 0 || (!!file.type && types.indexOf(file.type) >= 0);
  }

  function bitmapOf(file) {
    return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
      return createImageBitmap(file);
    });
  }
  function encode(bitmap, width, height) {
    var canvas = window.OffscreenCanvas ? new OffscreenCanvas(width, height) : document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d");
    // A transparent PNG becomes a JPEG on white, like the paper it was photographed on, not on black.
    context.fillStyle = "#fff";
    context.fillRect(0, 0, width, height);
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, width, height);
    if (canvas.convertToBlob) return canvas.convertToBlob({ type: "image/jpeg", quality: QUALITY });
    return new Promise(function (resolve) {
      canvas.toBlob(resolve, "image/jpeg", QUALITY);
    });
  }
  /** The photo as a JPEG of at most LONG_SIDE pixels, or null when sending it as it is costs no more. */
  function shrink(file) {
    var heic = isHeic(file);
    return bitmapOf(file).then(function (bitmap) {
      var scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && !heic) {
        if (bitmap.close) bitmap.close();
        return null;
      }
      return encode(bitmap, Math.round(bitmap.width * scale), Math.round(bitmap.height * scale)).then(function (blob) {
        if (bitmap.close) bitmap.close();
        if (!blob || (!heic && blob.size >= file.size)) return null;
        return new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg", lastModified: file.lastModified });
      });
    });
  }

  /** What to send for a chosen file: { file } or { refused: the attribute naming the reason }. */
  function prepare(input, file, mayShrink) {
    var heic = isHeic(file);
    // The server stores no HEIC: one the browser cannot turn into a JPEG is refused as a type.
    if (heic && !mayShrink) return Promise.resolve({ refused: "data-refused-type" });
    if (!heic && !accepted(input, file)) return Promise.resolve({ refused: "data-refused-type" });
    var ready = mayShrink && isPhoto(file) ? shrink(file).catch(function () { return null; }) : Promise.resolve(null);
    return ready.then(function (small) {
      if (heic && !small) return { refused: "data-refused-type" };
      var sent = small || file;
      // Checked after shrinking: a 25 MB camera photo made small is welcome.
      if (sent.size > Number(input.getAttribute("data-max-bytes"))) return { refused: "data-too-large" };
      return { file: sent };
    });
  }

  function say(input, lines) {
    var slot = document.getElementById(input.getAttribute("data-file-check"));
    if (!slot) return;
    slot.textContent = "";
    lines.forEach(function (line, i) {
      if (i) slot.appendChild(document.createElement("br"));
      slot.appendChild(document.createTextNode(line));
    });
    slot.hidden = !lines.length;
  }

  function check(input, chosen) {
    var original = document.getElementById(input.getAttribute("data-original"));
    var mayShrink = canShrink && !(original && original.checked);
    var run = {};
    input.fileCheckRun = run;
    var busy = mayShrink && chosen.some(isPhoto);
    var preparing = input.getAttribute("data-preparing") || "";
    // Until the photos are ready the form must not go with the camera-size ones.
    if (busy) {
      input.setCustomValidity(preparing);
      say(input, [preparing]);
    }
    Promise.all(
      chosen.map(function (file) {
        return prepare(input, file, mayShrink);
      }),
    ).then(function (results) {
      if (input.fileCheckRun !== run) return; // chosen again meanwhile
      var problems = [];
      var kept = canReplace ? new DataTransfer() : null;
      results.forEach(function (result, i) {
        if (result.file) return kept && kept.items.add(result.file);
        var name = chosen[i].name;
        problems.push(input.getAttribute("data-not-sent").replace("%name%", function () { return name; }) + " " + input.getAttribute(result.refused));
      });
      if (kept) input.files = kept.files;
      // Where the input cannot be changed, the browser's own validation keeps the form from sending it.
      input.setCustomValidity(!kept && problems.length ? problems.join(" ") : "");
      if (problems.length) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      say(input, problems);
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target || !target.getAttribute) return;
    if (target.type === "file" && target.hasAttribute("data-file-check")) {
      target.fileCheckChosen = Array.prototype.slice.call(target.files || []);
      return check(target, target.fileCheckChosen);
    }
    // "Send the original" ticked after choosing: the chosen files are checked again as they were.
    var input = target.id && document.querySelector('input[data-original="' + target.id + '"]');
    if (!input || !input.fileCheckChosen || !input.fileCheckChosen.length || !canReplace) return;
    var again = new DataTransfer();
    input.fileCheckChosen.forEach(function (file) {
      again.items.add(file);
    });
    input.files = again.files;
    check(input, input.fileCheckChosen);
  });

  /** Shows "send the original" where photos can be made smaller; also run for inputs rendered later. */
  function scan() {
    if (!canShrink) return;
    var inputs = document.querySelectorAll("input[type=file][data-original]");
    for (var i = 0; i < inputs.length; i++) {
      var box = document.getElementById(inputs[i].getAttribute("data-original"));
      var label = box && box.closest ? box.closest("label") : null;
      if (label) label.hidden = false;
    }
  }
  window.fileCheck = { scan: scan };
  scan();
})();
