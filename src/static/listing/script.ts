/**
 * The listing's one script (with --upload or --allow-delete): it sends the upload form with
 * XMLHttpRequest to show a progress bar, and makes the delete buttons work. Without it the form
 * still posts by itself (303 back to the listing); the delete buttons stay hidden, since a
 * DELETE cannot be sent by a plain page and GET must stay safe (RFC 9110 §9.2.1).
 *
 * It is inline, allowed by its hash in the page's Content-Security-Policy (CSP Level 3
 * §8.4.2 'sha256-...'): one fixed text, so the page stays the same bytes for every request
 * (cacheable, no nonce to draw) and nothing is fetched beside it; and no reserved path is taken
 * from the served folder's names for a script route.
 *
 * Plain ES2017, ASCII only; it finds its elements by id and class, so one text serves every
 * combination of flags. A test recomputes the hash from this text.
 */
export const LISTING_SCRIPT = `
"use strict";
(() => {
  const status = document.getElementById("status");
  const say = (text) => { status.textContent = text; };
  const reason = (type, body, code, line) => {
    if (/^text\\/html/i.test(type)) {
      const title = new DOMParser().parseFromString(body, "text/html").title.trim();
      if (title !== "") return title;
    } else if (body.trim() !== "") {
      return body.trim().slice(0, 300);
    }
    return (code + " " + line).trim();
  };
  const form = document.getElementById("upload");
  if (form !== null) {
    const progress = form.querySelector("progress");
    const submit = form.querySelector("button[type=submit]");
    const finish = (text) => { progress.hidden = true; submit.disabled = false; say(text); };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData();
      for (const file of form.elements.file.files) data.append("file", file, file.name);
      const folder = form.elements.folder.value;
      if (folder !== "") data.append("folder", folder);
      if (!data.has("file") && !data.has("folder")) return say("Choose files or type a folder name first.");
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "text/plain");
      xhr.upload.onprogress = (e) => {
        if (!e.lengthComputable || e.total === 0) return;
        progress.max = e.total;
        progress.value = e.loaded;
        say("Uploading... " + Math.floor((100 * e.loaded) / e.total) + "%");
      };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          say("Done.");
          location.reload();
          return;
        }
        const type = xhr.getResponseHeader("Content-Type") || "";
        finish("Upload failed: " + reason(type, xhr.responseText, xhr.status, xhr.statusText));
      };
      xhr.onerror = () => finish("Upload failed: the connection was lost.");
      progress.hidden = false;
      progress.removeAttribute("value");
      submit.disabled = true;
      say("Uploading...");
      xhr.send(data);
    });
  }
  for (const button of document.querySelectorAll("button.delete")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const name = button.dataset.name;
      if (!confirm("Delete " + name + "?")) return;
      button.disabled = true;
      try {
        const response = await fetch(button.dataset.href, { method: "DELETE" });
        if (response.ok) {
          location.reload();
          return;
        }
        const type = response.headers.get("Content-Type") || "";
        say("Could not delete " + name + ": " + reason(type, await response.text(), response.status, response.statusText));
      } catch (error) {
        say("Could not delete " + name + ": the connection was lost.");
      }
      button.disabled = false;
    });
  }
})();
`;

/**
 * base64 of the SHA-256 of LISTING_SCRIPT's UTF-8 bytes, for script-src. A constant, since
 * WebCrypto's digest is asynchronous and the core has no other; test/unit/static/listing/
 * checks it against the text, and prints the right value when the script changes.
 */
export const LISTING_SCRIPT_HASH = "sha256-XvBWCgSAigvfVaWMXo+9mC4aWLl2NO8LBFTD7YcSjls=";
