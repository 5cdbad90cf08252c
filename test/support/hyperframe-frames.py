"""Serializes and parses HTTP/2 frames with hyperframe (Debian's python3-hyperframe), for the
frame layer's differential test (test/unit/http2/hyperframe.test.ts).

Reads one JSON request on stdin and writes one JSON answer on stdout:
  {"mode": "serialize", "frames": [description, ...]}  ->  {"hex": ["...", ...]}
  {"mode": "parse", "hex": ["...", ...]}               ->  {"frames": [description or {"error": "..."}, ...]}
A description names the frame's fields as the TypeScript side does (camelCase, byte strings
as hex, weight 1..256, padLength null when not padded).
"""
import json
import sys

from hyperframe.frame import (
    ContinuationFrame, DataFrame, Frame, GoAwayFrame, HeadersFrame, PingFrame,
    PriorityFrame, PushPromiseFrame, RstStreamFrame, SettingsFrame, WindowUpdateFrame,
)


def flags(d, *names):
    return [name for name, key in names if d.get(key)]


def padding(d):
    return {"pad_length": d["padLength"]} if d.get("padLength") is not None else {}


def padded(d):
    return ["PADDED"] if d.get("padLength") is not None else []


def build(d):
    t, sid = d["type"], d.get("streamId", 0)
    if t == "DATA":
        return DataFrame(sid, data=bytes.fromhex(d["data"]),
                         flags=flags(d, ("END_STREAM", "endStream")) + padded(d), **padding(d))
    if t == "HEADERS":
        p = d["priority"]
        prio = {} if p is None else {"depends_on": p["dependency"], "stream_weight": p["weight"] - 1,
                                     "exclusive": p["exclusive"]}
        f = flags(d, ("END_STREAM", "endStream"), ("END_HEADERS", "endHeaders")) + padded(d)
        if p is not None:
            f.append("PRIORITY")
        return HeadersFrame(sid, data=bytes.fromhex(d["fragment"]), flags=f, **padding(d), **prio)
    if t == "PRIORITY":
        p = d["priority"]
        return PriorityFrame(sid, depends_on=p["dependency"], stream_weight=p["weight"] - 1,
                             exclusive=p["exclusive"])
    if t == "RST_STREAM":
        return RstStreamFrame(sid, error_code=d["errorCode"])
    if t == "SETTINGS":
        if d["ack"]:
            return SettingsFrame(0, flags=["ACK"])
        return SettingsFrame(0, settings={i: v for i, v in d["settings"]})
    if t == "PUSH_PROMISE":
        return PushPromiseFrame(sid, promised_stream_id=d["promisedStreamId"], data=bytes.fromhex(d["fragment"]),
                                flags=flags(d, ("END_HEADERS", "endHeaders")) + padded(d), **padding(d))
    if t == "PING":
        return PingFrame(0, opaque_data=bytes.fromhex(d["opaqueData"]), flags=flags(d, ("ACK", "ack")))
    if t == "GOAWAY":
        return GoAwayFrame(0, last_stream_id=d["lastStreamId"], error_code=d["errorCode"],
                           additional_data=bytes.fromhex(d["debugData"]))
    if t == "WINDOW_UPDATE":
        return WindowUpdateFrame(sid, window_increment=d["increment"])
    if t == "CONTINUATION":
        return ContinuationFrame(sid, data=bytes.fromhex(d["fragment"]), flags=flags(d, ("END_HEADERS", "endHeaders")))
    raise ValueError("unknown type " + t)


def priority(f):
    return {"exclusive": f.exclusive, "dependency": f.depends_on, "weight": f.stream_weight + 1}


def pad_of(f):
    return f.pad_length if "PADDED" in f.flags else None


def describe(f):
    sid = f.stream_id
    if isinstance(f, DataFrame):
        return {"type": "DATA", "streamId": sid, "endStream": "END_STREAM" in f.flags, "data": f.data.hex(),
                "padLength": pad_of(f), "flowControlledLength": f.flow_controlled_length}
    if isinstance(f, HeadersFrame):
        return {"type": "HEADERS", "streamId": sid, "endStream": "END_STREAM" in f.flags,
                "endHeaders": "END_HEADERS" in f.flags,
                "priority": priority(f) if "PRIORITY" in f.flags else None,
                "fragment": f.data.hex(), "padLength": pad_of(f)}
    if isinstance(f, PriorityFrame):
        return {"type": "PRIORITY", "streamId": sid, "priority": priority(f)}
    if isinstance(f, RstStreamFrame):
        return {"type": "RST_STREAM", "streamId": sid, "errorCode": f.error_code}
    if isinstance(f, SettingsFrame):
        return {"type": "SETTINGS", "ack": "ACK" in f.flags, "settings": [[i, v] for i, v in f.settings.items()]}
    if isinstance(f, PushPromiseFrame):
        return {"type": "PUSH_PROMISE", "streamId": sid, "endHeaders": "END_HEADERS" in f.flags,
                "promisedStreamId": f.promised_stream_id, "fragment": f.data.hex(), "padLength": pad_of(f)}
    if isinstance(f, PingFrame):
        return {"type": "PING", "ack": "ACK" in f.flags, "opaqueData": f.opaque_data.hex()}
    if isinstance(f, GoAwayFrame):
        return {"type": "GOAWAY", "lastStreamId": f.last_stream_id, "errorCode": f.error_code,
                "debugData": f.additional_data.hex()}
    if isinstance(f, WindowUpdateFrame):
        return {"type": "WINDOW_UPDATE", "streamId": sid, "increment": f.window_increment}
    if isinstance(f, ContinuationFrame):
        return {"type": "CONTINUATION", "streamId": sid, "endHeaders": "END_HEADERS" in f.flags,
                "fragment": f.data.hex()}
    return {"error": "unexpected frame " + type(f).__name__}


def parse(hex_bytes):
    data = memoryview(bytes.fromhex(hex_bytes))
    try:
        frame, length = Frame.parse_frame_header(data[:9], strict=True)
        if length != len(data) - 9:
            return {"error": "length %d for %d bytes" % (length, len(data) - 9)}
        frame.parse_body(data[9:])
        return describe(frame)
    except Exception as e:  # a refusal is an answer to compare, not a crash
        return {"error": "%s: %s" % (type(e).__name__, e)}


def main():
    request = json.load(sys.stdin)
    if request["mode"] == "serialize":
        json.dump({"hex": [build(d).serialize().hex() for d in request["frames"]]}, sys.stdout)
    else:
        json.dump({"frames": [parse(h) for h in request["hex"]]}, sys.stdout)


main()
