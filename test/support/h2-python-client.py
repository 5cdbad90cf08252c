"""An HTTP/2 client over stdin/stdout, Python's h2 (python3-h2): the other end of a pipe to a server.

argv[1]: a file holding a JSON list of requests {"method", "path", "headers": [[name, value]], "body_hex"?}, all sent
at once on streams 1, 3, 5...; bodies sent as the server's windows allow. Reads until every stream
ended or was reset, then closes the connection (GOAWAY) and prints a JSON summary on stderr:
{"responses": {stream: {"status", "headers", "body_hex", "reset"}}, "error"?}. h2 checks every frame
the server sends (frame sizes, windows, states, field validity): a ProtocolError is reported as
"error".
"""
import json
import os
import sys

import h2.config
import h2.connection
import h2.events
import h2.exceptions


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        requests = json.load(f)
    config = h2.config.H2Configuration(client_side=True, header_encoding="latin-1", validate_inbound_headers=True)
    conn = h2.connection.H2Connection(config=config)
    conn.initiate_connection()
    responses = {}
    pending = {}  # stream id -> bytes left to send
    for i, request in enumerate(requests):
        sid = 1 + 2 * i
        headers = [(":method", request["method"]), (":scheme", "https"), (":authority", "localhost"),
                   (":path", request["path"])] + [tuple(h) for h in request.get("headers", [])]
        body = bytes.fromhex(request["body_hex"]) if "body_hex" in request else None
        conn.send_headers(sid, headers, end_stream=body is None)
        responses[sid] = {"status": None, "headers": [], "body": bytearray(), "reset": None, "done": False}
        if body is not None:
            pending[sid] = body
    send_pending(conn, pending)
    flush(conn)
    error = None
    try:
        while not all(r["done"] for r in responses.values()):
            data = os.read(0, 65536)
            if not data:
                error = "the server closed the connection"
                break
            for event in conn.receive_data(data):
                handle(conn, event, responses)
            send_pending(conn, pending)
            flush(conn)
        conn.close_connection()
        flush(conn)
    except h2.exceptions.ProtocolError as e:
        error = f"{type(e).__name__}: {e}"
    summary = {
        str(sid): {"status": r["status"], "headers": r["headers"], "body_hex": bytes(r["body"]).hex(),
                   "reset": r["reset"]}
        for sid, r in responses.items()
    }
    sys.stderr.write(json.dumps({"responses": summary, "error": error}))


def handle(conn, event, responses):
    if isinstance(event, h2.events.ResponseReceived):
        r = responses[event.stream_id]
        for name, value in event.headers:
            if name == ":status":
                r["status"] = int(value)
            else:
                r["headers"].append([name, value])
    elif isinstance(event, h2.events.DataReceived):
        responses[event.stream_id]["body"] += event.data
        conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
    elif isinstance(event, h2.events.StreamEnded):
        responses[event.stream_id]["done"] = True
    elif isinstance(event, h2.events.StreamReset):
        responses[event.stream_id]["reset"] = int(event.error_code)
        responses[event.stream_id]["done"] = True
    elif isinstance(event, h2.events.ConnectionTerminated):
        raise h2.exceptions.ProtocolError(f"GOAWAY {event.error_code}")


def send_pending(conn, pending):
    """Sends what the windows allow of each body, END_STREAM with its last byte."""
    for sid in list(pending):
        body = pending[sid]
        while body:
            room = min(conn.local_flow_control_window(sid), conn.max_outbound_frame_size)
            if room <= 0:
                break
            piece, body = body[:room], body[room:]
            conn.send_data(sid, piece, end_stream=not body)
        if body:
            pending[sid] = body
        else:
            del pending[sid]


def flush(conn):
    data = conn.data_to_send()
    if data:
        os.write(1, data)


main()
