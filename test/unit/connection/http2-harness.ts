/**
 * HTTP/2 on a connection as the server builds it (connection-harness.ts's serve() with --http2):
 * the test client (test/support/h2-test-client.ts) writes straight into the fake socket, and
 * pump() hands it what the server wrote, so every byte goes through the connection's preface
 * check, the session and src/connection/http2*.ts.
 */
import { type HarnessOptions, serve, type Served } from "../../support/connection-harness.ts";
import type { FakeConnection } from "../../support/fake-ports.ts";
import { H2TestClient, type StreamResponse } from "../../support/h2-test-client.ts";

export interface H2Harness extends Served {
  readonly conn: FakeConnection;
  readonly client: H2TestClient;
  /** Hands the client what the server wrote (its answers, such as SETTINGS ACK, go back at once). */
  pump(): void;
  /** Lets promises run (the app's answers, file reads), pumping between them. */
  settle(rounds?: number): Promise<void>;
  /** Sends a GET for path on a new stream (1, 3, 5...); its id. */
  get(path: string, headers?: ReadonlyArray<readonly [string, string]>, method?: string): number;
  response(id: number): StreamResponse;
}

/** A server with HTTP/2 on, and one h2c connection on it past the preface and SETTINGS. */
export function connectH2(options: HarnessOptions = {}): H2Harness {
  const served = serve({ ...options, http2: options.http2 ?? {} });
  const conn = served.accept();
  const client = new H2TestClient((bytes) => conn.receive(bytes));
  let read = 0;
  let next = 1;
  const pump = (): void => {
    while (read < conn.writes.length) client.receive(conn.writes[read++]!);
    conn.drain();
  };
  client.preface();
  pump();
  return {
    ...served,
    conn,
    client,
    pump,
    settle: async (rounds = 5) => {
      for (let i = 0; i < rounds; i++) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        pump();
      }
    },
    get: (path, headers = [], method = "GET") => {
      const id = next;
      next += 2;
      client.request(id, { path, headers, method, scheme: "http" });
      pump();
      return id;
    },
    response: (id) => client.response(id),
  };
}
