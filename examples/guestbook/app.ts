/**
 * A guestbook: a form that POSTs, the entries stored in the runtime's own SQLite (./store.ts),
 * a plain fetch handler with no framework. After a POST the browser is sent back to the page
 * with 303 See Other (RFC 9110 §15.4.4), so reloading does not sign twice (POST-redirect-GET).
 *
 *   sundial --no-listing --app examples/guestbook/app.ts                    (Deno, Bun)
 *   GUESTBOOK_DB=/tmp/guestbook.sqlite sundial --no-listing --app examples/guestbook/app.ts
 *
 * (--no-listing: the command line answers with files first, so the folder's listing would take
 * "/" before the app.) The database file is GUESTBOOK_DB, else .guestbook.sqlite in the current
 * folder: a dotfile, which sundial does not serve unless --dotfiles. Node 20 has no built-in
 * SQLite: there the guestbook says so, on start and on the page, and keeps entries in memory.
 */
import { type Entry, openStore } from "./store.ts";

const MAX_NAME = 80;
const MAX_MESSAGE = 1000;
const SHOWN = 100;

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
const store = await openStore(env?.["GUESTBOOK_DB"] ?? ".guestbook.sqlite");
console.log(`guestbook: ${store.description}`);

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname !== "/") return page(404, '<p>There is no such page. <a href="/">The guestbook</a></p>');
    if (request.method === "GET" || request.method === "HEAD") return page(200, guestbook());
    if (request.method === "POST") return sign(request);
    // RFC 9110 §15.5.6: a 405 lists the methods the resource has.
    return new Response("Method Not Allowed\n", { status: 405, headers: { allow: "GET, HEAD, POST" } });
  },
};

async function sign(request: Request): Promise<Response> {
  const form = await request.formData().catch(() => null);
  const name = text(form?.get("name")).trim();
  const message = text(form?.get("message")).trim();
  if (name === "" || message === "") {
    return page(400, `<p class="error">Both a name and a message, please.</p>${guestbook()}`);
  }
  if (name.length > MAX_NAME || message.length > MAX_MESSAGE) {
    return page(
      400,
      `<p class="error">A name up to ${MAX_NAME} characters and a message up to ${MAX_MESSAGE}, please.</p>${guestbook()}`,
    );
  }
  store.add({ name, message, at: new Date().toISOString() });
  return new Response(null, { status: 303, headers: { location: "/" } });
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function guestbook(): string {
  const entries = store.latest(SHOWN);
  const list = entries.length === 0 ? "<p>No entries yet: be the first.</p>" : `<ul>${entries.map(item).join("")}</ul>`;
  const notice = store.kind === "memory" ? `<p class="notice">Note: ${escapeHtml(store.description)}.</p>` : "";
  return `${notice}
<form method="post" action="/">
  <p><label>Name <input name="name" maxlength="${MAX_NAME}" required></label></p>
  <p><label>Message <textarea name="message" maxlength="${MAX_MESSAGE}" required></textarea></label></p>
  <p><button>Sign the guestbook</button></p>
</form>
${list}`;
}

function item(entry: Entry): string {
  return `<li><strong>${escapeHtml(entry.name)}</strong> <time datetime="${escapeHtml(entry.at)}">${
    escapeHtml(entry.at.slice(0, 16).replace("T", " "))
  }</time><p>${escapeHtml(entry.message)}</p></li>`;
}

function page(status: number, body: string): Response {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Guestbook</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:2em auto}.notice{background:#fff3cd;padding:.5em}.error{color:#b00}</style></head>
<body>
<h1>Guestbook</h1>
${body}
</body>
</html>
`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8" } });
}

/** What a user typed, safe inside HTML text and quoted attribute values. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
