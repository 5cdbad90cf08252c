/** The --help text: every option, grouped as docs/command-line.md groups them. */
export const USAGE = `Usage: sundial [DIR] [options]

Serve the files in DIR (default: the current folder) over HTTP/1.1, and the time at /time.

Options:
  -p, --port N      port to listen on (default: $PORT, else 8000; 0 picks a free port)
  -H, --host ADDR   address to listen on (default: every interface)
  --app MODULE      run a fetch-handler app (.js, .mjs; .ts on Deno, Bun and Node >= 22.18):
                    its default export is { fetch } (Hono, Bun, Deno style) or a function.
                    /time and existing files in DIR first, then the app (in place of the 404);
                    without DIR, no files are served: /time and the app only
  -h, --help        show this help and exit
  -V, --version     show the version and the runtime, and exit

Files:
  --no-listing            a folder without index.html is 404 (default: list it)
  --dotfiles              serve and list names starting with "." (default: hidden)
  --compress              gzip/brotli text files of 1 KiB-1 MiB on the fly
  --cache-control VALUE   send Cache-Control: VALUE with files (default: none)
  --cors                  allow cross-origin requests (Access-Control-Allow-Origin: *)
  --spa                   serve /index.html for paths that do not exist
  --no-symlinks           refuse every symlink (default: follow those inside DIR)
  --cache-ttl TIME        trust cached file metadata this long (default: 1s; 0: never)
  --archives              ?download=zip|tar.gz|tar sends a listed folder as one archive

Writing files (off by default; docs/static-files.md#writing-files):
  --upload                PUT /path stores the request body there (curl -T FILE URL);
                          POST /folder/ takes an upload form's files (curl -F file=@FILE URL)
  --mkdir                 a PUT or POST creates missing folders (default: 409)
  --allow-delete          DELETE /path removes a file or an empty folder
  --max-upload SIZE       largest PUT or POST body, else 413 (default: --max-body bounds it)

Time services on raw TCP (off by default):
  --daytime-port N        RFC 867 Daytime: the time as a line of text (0 picks a free port)
  --time-port N           RFC 868 Time: seconds since 1900 as 4 bytes (0 picks a free port)

Limits (SIZE: bytes, or with k, m, g; TIME: seconds, or with ms, s, m):
  --max-request-line SIZE  longest request line, else 414 (default: 8k)
  --max-header-size SIZE   largest header section, else 431 (default: 32k)
  --max-headers N          most header fields, else 431 (default: 100)
  --max-body SIZE          largest request body, else 413 (default: 1m)
  --max-connections N      connections at once; at the cap the longest idle one is closed
                           to make room, and only if none can be, 503 (default: 1024)
  --max-connections-per-ip N
                           connections from one address at once, more get 503 (default:
                           256, for addresses other than loopback: a proxy or a load
                           test on this host; a value given here applies to every
                           address; 0: no cap)
  --header-timeout TIME    to receive a request's head from its first byte, and for a new
                           connection's first byte, else 408 (default: 20s)
  --body-timeout TIME      between pieces of a request body that is read, else 408
                           (default: 20s)
  --min-body-rate SIZE     slowest request body read, in bytes per second: it has
                           --body-timeout plus 1 s per SIZE bytes (default: 500; 0: no floor)
  --request-timeout TIME   a whole request, head and body, else 408 (default: 300s)
  --idle-timeout TIME      keep-alive connection idle before it closes (default: 75s)
  --send-timeout TIME      client not reading the response before it is dropped (default: 60s)
  --response-timeout TIME  app not answering (or a streamed body stalling) before a 503 or a
                           close; its request.signal aborts (default: 60s; 0: no limit)

In production (the access log goes to stdout; the banner and errors to stderr):
  --log-format FORMAT      access log lines: common, combined (default) or json
  --log FILE               append the access log to FILE (reopened on SIGUSR1, for logrotate)
  -q, --quiet              no access log
  --header 'NAME: VALUE'   add a field to every response (repeatable), e.g. HSTS or CSP
  --trust-proxy LIST       addresses and CIDR ranges of proxies (e.g. 127.0.0.1,10.0.0.0/8;
                           loopback, private): only from them are Forwarded, X-Forwarded-For
                           (right-most untrusted hop), X-Real-IP and X-Forwarded-Proto/-Host/
                           -Prefix believed, for /time, the log and apps
  --proxy-protocol         read a HAProxy PROXY protocol header (v1 or v2) where a trusted
                           peer sends one (needs --trust-proxy)
  --base-path PATH         the site is served under PATH (e.g. /files): links and redirects
                           carry it, and requests may come with or without it
  --health                 GET /healthz (alive) and /readyz (ready; 503 while draining)
  --metrics                GET /metrics in the Prometheus text format
  --admin-port N           serve /healthz, /readyz and /metrics on this port instead
  --shutdown-timeout TIME  on SIGTERM or SIGINT, how long responses in progress may take
                           to finish before the rest is closed (default: 30s); a second
                           signal exits at once

Authentication (HTTP Basic; off by default; /healthz, /readyz, /metrics stay open):
  --auth USER:PASSWORD     a user (repeatable); USER:sha256:HEX or USER:sha512:HEX gives the
                           password's digest instead (printf %s PASSWORD | sha256sum), so that
                           no password sits in the shell history
  --auth-file FILE         users from FILE, one a line in the same forms (# comments); read
                           again on SIGHUP, keeping the users in use when it does not read well
  --auth-scope all|writes  which requests need a password: all (default), or only methods
                           other than GET, HEAD and OPTIONS
  --auth-path PATH         only requests under PATH need a password (repeatable; /private/
                           guards /private and below, not /privateer), with --auth-scope
  More than 10 failed logins in a minute from one address: 429 with Retry-After for a minute

Processes:
  --workers N|auto         N processes serve the port (auto: one per core; default: 1). A
                           supervisor starts them, prints the banner once, runs the
                           --daytime-port and --time-port services itself, starts a worker
                           that died again (after 100 ms, doubling while it keeps dying, up
                           to 30 s), and on SIGTERM or SIGINT drains them all; SIGHUP and
                           SIGUSR1 go on to every worker. Node: node:cluster, the supervisor
                           accepts and deals connections round-robin (any platform). Bun:
                           SO_REUSEPORT, the kernel spreads connections (Linux only). Deno:
                           the same, its workers run with --unstable-net (Linux only; needs
                           --allow-run). Each worker has its own --max-connections, file
                           cache, /metrics and /readyz
  --worker-timeout TIME    a worker that has sent no heartbeat (one a second, from its event
                           loop) for TIME is hung or stopped: it is killed and started again,
                           so that it keeps no share of new connections (default: 5s; at
                           least 1s; 0: never)

HTTPS (TLS 1.2 and 1.3, ALPN http/1.1; done by each runtime's own TLS, under the same core):
  --tls-cert FILE          the certificate, PEM, the leaf first and then its chain
  --tls-key FILE           its private key, PEM; encrypted: the passphrase in
                           SUNDIAL_TLS_KEY_PASSPHRASE (or --tls-key-passphrase, seen by ps)
  --tls-self-signed        make a certificate at start for localhost, 127.0.0.1, ::1 and this
                           machine's addresses; its SHA-256 fingerprint is in the banner
  --redirect-http PORT     also listen on PORT for plain HTTP, answering 308 to https
  --tls-handshake-timeout TIME  a TLS handshake not done by then is closed (default: 10s)
  kill -HUP PID reloads --tls-cert/--tls-key (and --auth-file)

HTTP/2 (RFC 9113, on sundial's own stack; off by default while it is being finished):
  --http2                  speak HTTP/2 beside HTTP/1.1: ALPN h2 over TLS, and prior
                           knowledge (h2c, the client preface) on plain TCP
  --http2-zero-window-timeout TIME
                           a stream with data to send whose flow-control window the client
                           keeps at zero this long closes the connection (default: 30s)`;
