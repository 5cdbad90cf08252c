"""Python's hpack (Debian's python3-hpack) as the other side of sundial's HPACK tests.

Reads one JSON document on stdin and writes one on stdout, bytes as hex:
  {"encode": [{"tableSize": n, "huffman": bool, "blocks": [[[name, value, sensitive], ...], ...]}, ...],
   "decode": [{"blocks": [block, ...]}, ...]}
-> {"encoded": [[block, ...], ...],
    "decoded": [{"lists": [[[name, value, sensitive], ...], ...]} or {"error": "..."}, ...]}
Each entry of "encode" and "decode" is one connection: one encoder or decoder for all its blocks.
An encoder's table size is set before its first block (so that block starts with a size update).
"""

import json
import sys

import hpack
from hpack import HeaderTuple, NeverIndexedHeaderTuple


def encode(connection):
    encoder = hpack.Encoder()
    encoder.header_table_size = connection["tableSize"]
    blocks = []
    for fields in connection["blocks"]:
        headers = [
            (NeverIndexedHeaderTuple if sensitive else HeaderTuple)(bytes.fromhex(name), bytes.fromhex(value))
            for name, value, sensitive in fields
        ]
        blocks.append(encoder.encode(headers, huffman=connection["huffman"]).hex())
    return blocks


def decode(connection):
    decoder = hpack.Decoder(max_header_list_size=1 << 30)
    lists = []
    try:
        for block in connection["blocks"]:
            fields = decoder.decode(bytes.fromhex(block), raw=True)
            lists.append([[field[0].hex(), field[1].hex(), not field.indexable] for field in fields])
    except hpack.HPACKError as error:
        return {"error": f"{type(error).__name__}: {error}"}
    return {"lists": lists}


def main():
    request = json.load(sys.stdin)
    json.dump(
        {
            "encoded": [encode(connection) for connection in request["encode"]],
            "decoded": [decode(connection) for connection in request["decode"]],
        },
        sys.stdout,
    )


main()
