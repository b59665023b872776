/* Bulk upload with a progress bar: the same form posts without this script; with it, the
   files go by XMLHttpRequest so that the upload's progress events can drive <progress>. */
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  var button = form.querySelector("button[type=submit]");

  // the server takes at most this many bytes in one upload (enquiry serve --max-upload):
  // said before sending, rather than after gigabytes sent for nothing
  var most = parseInt(form.getAttribute("data-max-bytes") || "0", 10);

  function say(text) { status.textContent = text; }

  function size(bytes) {
    var units = ["bytes", "KiB", "MiB", "GiB", "TiB"], i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i += 1; }
    return String(Math.round(bytes * 100) / 100) + " " + units[i];
  }

  function link(item) {
    var a = document.createElement("a");
    a.href = "/items/" + item;
    a.textContent = "item " + item;
    return a;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var files = form.querySelector("input[type=file]").files;
    if (!files.length) { say("Choose one or more files first."); return; }
    var total = 0;
    for (var i = 0; i < files.length; i += 1) { total += files[i].size; }
    if (most && total > most) {
      say("These files come to " + size(total) + "; one upload takes at most " + size(most) +
          ": send them in several uploads.");
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    bar.hidden = false;
    bar.value = 0;
    button.disabled = true;
    say("Uploading " + files.length + " file(s)…");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round((100 * e.loaded) / e.total);
        if (e.loaded === e.total) { say("Uploaded; taking the files in (hashing, reading, recording)…"); }
      }
    });
    xhr.addEventListener("load", function () {
      button.disabled = false;
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = null; }
      if (xhr.status >= 200 && xhr.status < 300 && answer) {
        bar.value = 100;
        say(answer.summary + ". ");
        answer.results.forEach(function (r, i) {
          if (i) { status.appendChild(document.createTextNode(", ")); }
          status.appendChild(document.createTextNode(r.name + ": " + r.status + " "));
          if (r.item) { status.appendChild(link(r.item)); }
        });
      } else {
        say("Upload failed: " + ((answer && (answer.detail || answer.summary)) || xhr.statusText || "no answer"));
      }
    });
    xhr.addEventListener("error", function () {
      button.disabled = false;
      say("Upload failed: the server could not be reached.");
    });
    xhr.send(new FormData(form));
  });
}());
