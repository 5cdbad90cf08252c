/** The chat's page: a WebSocket client in a few lines of script, connecting back to /chat (ws:// or wss://). */
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sundial chat</title>
<link rel="icon" href="data:,">
<style>
  body { font: 16px system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
  #log { list-style: none; padding: 0; min-height: 12rem; border: 1px solid #ccc; padding: .5rem; }
  form { display: flex; gap: .5rem; } input[name=text] { flex: 1; }
</style>
</head>
<body>
<h1>Chat</h1>
<p id="status">connecting…</p>
<ul id="log"></ul>
<form id="send"><input name="text" autocomplete="off" placeholder="say something" aria-label="message"><button>Send</button></form>
<script type="module">
  const name = new URLSearchParams(location.search).get("name") ?? "guest";
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(scheme + "://" + location.host + "/chat?name=" + encodeURIComponent(name));
  const status = document.getElementById("status");
  const log = document.getElementById("log");
  socket.onopen = () => (status.textContent = "connected as " + name);
  socket.onclose = (event) => (status.textContent = "closed (" + event.code + ")");
  socket.onmessage = (event) => {
    const item = document.createElement("li");
    item.textContent = event.data;
    log.append(item);
  };
  document.getElementById("send").onsubmit = (event) => {
    event.preventDefault();
    const input = event.target.elements.text;
    if (input.value !== "" && socket.readyState === WebSocket.OPEN) socket.send(input.value);
    input.value = "";
  };
</script>
</body>
</html>
`;
