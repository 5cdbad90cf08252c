/**
 * A real Hono app (hono from npm) that runs unchanged on sundial and on each runtime's own server.
 * The default export is the Hono app, which is an object with `fetch`: the contract Bun.serve,
 * Deno.serve, Cloudflare Workers and `sundial --app` all accept.
 *
 *   sundial --no-listing --app examples/hono-app/app.ts   (Deno, Bun; Node 20: ../README.md)
 *   bun examples/hono-app/serve.ts                        (the library: serve({ fetch: app.fetch }))
 *
 * The differential tests (test/e2e/apps-differential.test.ts) send the same requests to it on
 * sundial and on Bun.serve, Deno.serve and @hono/node-server, and compare the answers.
 */
import { Hono } from "hono";
import { basicAuth } from "hono/basic-auth";
import { compress } from "hono/compress";
import { setCookie } from "hono/cookie";
import { etag } from "hono/etag";
import { html } from "hono/html";
import { HTTPException } from "hono/http-exception";
import { stream, streamSSE } from "hono/streaming";

const app = new Hono();

// gzip or deflate for compressible bodies of 1 KiB and more (or of unknown length), when the
// client's Accept-Encoding allows it (RFC 9110 §12.5.3); Vary: Accept-Encoding either way.
app.use(compress());

// Everything under /admin asks for credentials (RFC 7617): 401 with WWW-Authenticate without them.
app.use("/admin/*", basicAuth({ username: "admin", password: "sundial", realm: "sundial example" }));

app.get("/", (c) =>
  c.html(html`
    <!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <title>Hono on sundial</title>
      </head>
      <body>
        <h1>Hono on sundial</h1>
        <ul>
          <li><a href="/hello/world">/hello/:name</a> (text)</li>
          <li><a href="/users/42/posts/7">/users/:id/posts/:postId</a> (JSON)</li>
          <li><a href="/items">/items</a> (JSON, compressed when you accept gzip)</li>
          <li><a href="/page">/page</a> (HTML), <a href="/old-page">/old-page</a> (a redirect to it)</li>
          <li><a href="/tagged">/tagged</a> (ETag, 304 on a match)</li>
          <li><a href="/cookies">/cookies</a> (two Set-Cookie fields)</li>
          <li><a href="/events">/events</a> (server-sent events), <a href="/ticks">/ticks</a> (endless), <a href="/ticks/open">/ticks/open</a></li>
          <li><a href="/stream">/stream</a> (a streamed body), <a href="/slow">/slow</a> (2 s, or until you leave)</li>
          <li><a href="/admin/">/admin/</a> (basic auth: admin / sundial)</li>
          <li><a href="/error">/error</a> (a handler that throws)</li>
          <li><a href="/nowhere">/nowhere</a> (the app's own 404)</li>
        </ul>
        <h2>URL-encoded form</h2>
        <form method="post" action="/form">
      <input name="name" value="Ada"> <input name="topic" value="engines"> <button>Send</button>
        </form>
        <h2>Multipart form</h2>
        <form method="post" action="/form" enctype="multipart/form-data">
      <input name="name" value="Grace"> <input type="file" name="upload"> <button>Upload</button>
        </form>
        <p>POST JSON to /echo and get it back.</p>
      </body>
    </html>
  `));

app.get("/hello/:name", (c) => c.text(`Hello, ${c.req.param("name")}!`));

app.get("/users/:id/posts/:postId", (c) => {
  const { id, postId } = c.req.param();
  return c.json({ user: id, post: postId, query: c.req.query() });
});

// 40 items: about 2 KiB of JSON, over compress()'s threshold.
app.get(
  "/items",
  (c) =>
    c.json({ items: Array.from({ length: 40 }, (_, i) => ({ id: i + 1, name: `item ${i + 1}`, done: i % 3 === 0 })) }),
);

// How the request looks to the app: the URL the server built, the query, the header fields.
app.get(
  "/inspect",
  (c) =>
    c.json({ method: c.req.method, url: c.req.url, path: c.req.path, query: c.req.queries(), headers: c.req.header() }),
);

app.get("/page", (c) => c.html("<!doctype html><title>A page</title><p>Rendered by Hono.</p>"));

app.get("/text", (c) => c.text("plain text\n"));

// Validators: an ETag of the body, and 304 Not Modified for If-None-Match (RFC 9110 §13.1.2).
app.use("/tagged", etag());
app.get("/tagged", (c) => c.text("this body has an entity tag\n"));

// 2 MiB of text: larger than any socket buffer, so the body goes out under backpressure.
app.get("/large", (c) => c.text("0123456789abcdef".repeat(128 * 1024)));

app.get("/old-page", (c) => c.redirect("/page", 301));

app.delete("/items/:id", (c) => c.body(null, 204));

// A JSON body back as it came (400 when it is not JSON).
app.post("/echo", async (c) => {
  const body: unknown = await c.req.json().catch(() => undefined);
  if (body === undefined) return c.json({ error: "the body is not JSON" }, 400);
  return c.json({ received: body });
});

// application/x-www-form-urlencoded and multipart/form-data, both through parseBody().
app.post("/form", async (c) => {
  const body = await c.req.parseBody({ all: true });
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) fields[name] = describe(value);
  return c.json({ type: c.req.header("content-type")?.split(";")[0] ?? null, fields });
});

app.get("/cookies", (c) => {
  setCookie(c, "session", "abc123", { path: "/", httpOnly: true, sameSite: "Lax" });
  setCookie(c, "theme", "dark", { path: "/", maxAge: 3600 });
  return c.text("two cookies set");
});

// Three events, one every 20 ms, then the stream ends (text/event-stream: not compressed).
app.get("/events", (c) =>
  streamSSE(c, async (sse) => {
    for (let id = 1; id <= 3; id++) {
      await sse.writeSSE({ event: "tick", id: String(id), data: JSON.stringify({ n: id }) });
      await sse.sleep(20);
    }
  }));

// An endless event stream, a tick every 50 ms until the client leaves: the server must then
// cancel the body, which aborts the stream, so the loop ends. /ticks/open counts those running.
let openTicks = 0;
app.get("/ticks", (c) =>
  streamSSE(c, async (sse) => {
    openTicks++;
    try {
      for (let n = 1; !sse.aborted; n++) {
        await sse.writeSSE({ event: "tick", data: String(n) });
        await sse.sleep(50);
      }
    } finally {
      openTicks--;
    }
  }));
app.get("/ticks/open", (c) => c.json({ open: openTicks }));

// Answers after 2 s, unless the client leaves first: request.signal aborts then (Fetch), and
// /slow/aborted counts the answers given up that way.
let abandoned = 0;
app.get("/slow", async (c) => {
  const signal = c.req.raw.signal;
  const left = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 2000);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve(true)), { once: true });
  });
  if (left) abandoned++;
  return c.text(left ? "the client left" : "done after 2 s");
});
app.get("/slow/aborted", (c) => c.json({ aborted: abandoned }));

// A body of unknown length, written in five pieces over ~50 ms.
app.get("/stream", (c) => {
  c.header("Content-Type", "text/plain; charset=UTF-8");
  return stream(c, async (out) => {
    for (let i = 1; i <= 5; i++) {
      await out.write(`piece ${i}\n`);
      await out.sleep(10);
    }
  });
});

app.get("/admin/", (c) => c.text("Welcome, admin."));

app.get("/error", () => {
  throw new Error("this route always fails");
});

// An HTTPException (basicAuth's 401) carries its own response; anything else thrown is a 500.
app.onError((
  error,
  c,
) => (error instanceof HTTPException ? error.getResponse() : c.json({ error: error.message }, 500)));

app.notFound((c) => c.text(`No route for ${c.req.method} ${c.req.path}`, 404));

/** A form field as JSON: strings as they are, files by name, type and size. */
function describe(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(describe);
  if (typeof value === "string") return value;
  if (value instanceof File) return { file: value.name, type: value.type, size: value.size };
  return String(value);
}

export default app;
