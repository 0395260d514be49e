"""Reads a Gym trajectory file with Python's msgpack.Unpacker, as a stream of dicts, and checks each frame.

Usage: python3 read_trajectories.py FILE  -> prints a JSON list, one summary per episode.
"""
import json
import sys
import zlib

import msgpack


def main(path):
    with open(path, "rb") as f:
        data = f.read()
    unpacker = msgpack.Unpacker(raw=False, strict_map_key=False, timestamp=3)
    unpacker.feed(data)
    out = []
    for record in unpacker:
        assert isinstance(record, dict), type(record)
        assert record["v"] == 1
        end = unpacker.tell()
        episode = record["episode"]
        assert isinstance(episode, dict)
        body = data[end - record["len"]:end]
        out.append({
            "task_id": episode["task_id"],
            "steps": len(episode["steps"]),
            "first_action": episode["steps"][0]["action"]["text"] if episode["steps"] else None,
            "success": episode["outcome"]["success"],
            "crc_ok": zlib.crc32(body) == record["crc"],
        })
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
