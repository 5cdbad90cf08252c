// The HTTP/2 bench's servers: sundial --http2 --quiet on each runtime and the Bun executable, nginx
// and Caddy, each over TLS (ALPN h2) or h2c (prior knowledge), serving the same folder and /time.
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "../harness/repo.ts";
import { RUN_FORMS } from "../harness/sundial.ts";

/** TLS with ALPN h2 (RFC 9113 §3.2), or cleartext with prior knowledge (§3.3). */
export type Transport = "tls" | "h2c";

/** The certificate every TLS server here uses (one EC P-256 leaf, so the handshakes cost the same). */
export interface Certificate {
  readonly cert: string;
  readonly key: string;
}

/** Where a server is started: the folder it serves, its port, a scratch folder, the certificate. */
export interface Place {
  readonly dir: string;
  readonly port: number;
  readonly work: string;
  readonly certificate: Certificate;
}

export interface H2ServerSpec {
  readonly name: string;
  readonly kind: "sundial" | "peer";
  readonly transport: Transport;
  readonly command: (place: Place) => string[];
  /** Writes the configuration file the command names, before the server starts. */
  readonly prepare?: (place: Place) => void;
  readonly note?: string;
}

const sundialFlags = (place: Place, transport: Transport): string[] => [
  place.dir,
  "--http2",
  "--quiet",
  "-H",
  "127.0.0.1",
  "-p",
  String(place.port),
  ...(transport === "tls" ? ["--tls-cert", place.certificate.cert, "--tls-key", place.certificate.key] : []),
];

/** sundial's run forms (node: dist/sundial.mjs) and, when built, the Bun executable. */
function sundials(transport: Transport): H2ServerSpec[] {
  const forms = RUN_FORMS.map(([runtime, argv]): H2ServerSpec => ({
    name: `sundial-${runtime} ${transport}`,
    kind: "sundial",
    transport,
    command: (place) => [...argv, ...sundialFlags(place, transport)],
  }));
  const exe = path.join(REPO, "dist", "sundial-bun");
  if (!fs.existsSync(exe)) return forms;
  return [...forms, {
    name: `sundial-bun-exe ${transport}`,
    kind: "sundial",
    transport,
    command: (place) => [exe, ...sundialFlags(place, transport)],
  }];
}

const nginxConf = (place: Place): string => path.join(place.work, `nginx-h2-${place.port}.conf`);
const caddyfile = (place: Place): string => path.join(place.work, `Caddyfile-h2-${place.port}`);

/** nginx 1.22's HTTP/2: `listen ... ssl http2` over TLS, `listen ... http2` for h2c (prior knowledge only). */
function writeNginxConfig(place: Place, transport: Transport): void {
  const tmp = path.join(place.work, "nginx-tmp");
  fs.mkdirSync(tmp, { recursive: true });
  const listen = transport === "tls"
    ? `listen 127.0.0.1:${place.port} ssl http2;
    ssl_certificate ${place.certificate.cert};
    ssl_certificate_key ${place.certificate.key};`
    : `listen 127.0.0.1:${place.port} http2;`;
  fs.writeFileSync(
    nginxConf(place),
    `daemon off;
worker_processes 1;
pid ${place.work}/nginx-h2-${place.port}.pid;
error_log ${place.work}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  open_file_cache max=1000 inactive=60s;
  open_file_cache_valid 60s;
  client_body_temp_path ${tmp};
  proxy_temp_path ${tmp};
  fastcgi_temp_path ${tmp};
  uwsgi_temp_path ${tmp};
  scgi_temp_path ${tmp};
  types { text/html html; application/octet-stream bin; }
  server {
    ${listen}
    root ${place.dir};
    location = /time {
      default_type application/json;
      add_header Cache-Control no-store;
      return 200 '{"utc_datetime":"$time_iso8601","unixtime_ms":$msec}';
    }
  }
}
`,
  );
}

/** Caddy: h2c needs the server's protocols to name it; over TLS, the same certificate, no HTTP/3. */
function writeCaddyfile(place: Place, transport: Transport): void {
  const site = transport === "tls"
    ? `https://127.0.0.1:${place.port} {
  tls ${place.certificate.cert} ${place.certificate.key}`
    : `http://127.0.0.1:${place.port} {`;
  fs.writeFileSync(
    caddyfile(place),
    `{
  admin off
  auto_https off
  servers {
    protocols ${transport === "tls" ? "h1 h2" : "h1 h2c"}
  }
  log default {
    output discard
  }
}
${site}
  root * ${place.dir}
  handle /time {
    header Content-Type application/json
    header Cache-Control no-store
    respond \`{"unixtime_ms":{time.now.unix_ms}}\` 200
  }
  file_server
}
`,
  );
}

function peers(transport: Transport): H2ServerSpec[] {
  return [
    {
      name: `nginx ${transport}`,
      kind: "peer",
      transport,
      prepare: (place) => writeNginxConfig(place, transport),
      command: (place) => ["nginx", "-c", nginxConf(place), "-e", path.join(place.work, "nginx-error.log")],
      note: "one worker process, access log off, sendfile and open_file_cache on",
    },
    {
      name: `caddy ${transport}`,
      kind: "peer",
      transport,
      prepare: (place) => writeCaddyfile(place, transport),
      command: (place) => ["caddy", "run", "--config", caddyfile(place), "--adapter", "caddyfile"],
      note: "file_server, logs discarded",
    },
  ];
}

export const H2_SERVERS: readonly H2ServerSpec[] = (["tls", "h2c"] as const).flatMap((transport) => [
  ...sundials(transport),
  ...peers(transport),
]);
