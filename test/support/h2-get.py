"""One HTTP/2 GET with Python's h2 (Debian's python3-h2), for test/support/h2-clients.ts.

Usage: h2-get.py HOST PORT PATH (h2c|h2) [CAFILE]
Over h2c it speaks HTTP/2 with prior knowledge; over h2 it uses TLS with ALPN "h2", trusting
CAFILE. Prints one JSON object: status, headers ([name, value] pairs), body (base64), protocol.
"""
import base64
import json
import socket
import ssl
import sys

import h2.config
import h2.connection
import h2.events


def main():
    host, port, path, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    sock = socket.create_connection((host, port), timeout=10)
    protocol = "h2c"
    if mode == "h2":
        context = ssl.create_default_context(cafile=sys.argv[5])
        context.set_alpn_protocols(["h2"])
        sock = context.wrap_socket(sock, server_hostname="localhost")
        protocol = sock.selected_alpn_protocol()
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="latin-1"))
    conn.initiate_connection()
    stream = conn.get_next_available_stream_id()
    conn.send_headers(stream, [
        (":method", "GET"),
        (":scheme", "https" if mode == "h2" else "http"),
        (":authority", "%s:%d" % (host, port)),
        (":path", path),
    ], end_stream=True)
    sock.sendall(conn.data_to_send())
    headers, body, done = [], b"", False
    while not done:
        data = sock.recv(65536)
        if not data:
            break
        for event in conn.receive_data(data):
            if isinstance(event, h2.events.ResponseReceived):
                headers = [[name, value] for name, value in event.headers]
            elif isinstance(event, h2.events.DataReceived):
                body += event.data
                conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, (h2.events.StreamEnded, h2.events.StreamReset)):
                done = True
        sock.sendall(conn.data_to_send())
    conn.close_connection()
    sock.sendall(conn.data_to_send())
    sock.close()
    status = next((int(value) for name, value in headers if name == ":status"), None)
    print(json.dumps({
        "status": status,
        "headers": [h for h in headers if h[0] != ":status"],
        "body": base64.b64encode(body).decode("ascii"),
        "protocol": protocol,
    }))


main()
