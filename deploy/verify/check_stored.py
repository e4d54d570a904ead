#!/usr/bin/env python3
"""The crash test's counting, for deploy/verify.sh: every id that `pushback-load --acked` wrote
(acknowledged with a 2xx) is in `pushback export` exactly once.

    check_stored.py EXPORT.jsonl ACKED.txt [ACKED.txt ...]

Ids stored without an acknowledgement (the answer was lost) are allowed and counted. Exit 0 when
nothing acknowledged is missing or stored twice and something was acknowledged, else 1.
"""

import collections
import json
import sys


def main():
    export_path, acked_paths = sys.argv[1], sys.argv[2:]
    stored = collections.Counter()
    for line in open(export_path):
        item = json.loads(line)
        if item["source"] == "generic":
            stored[item["external_id"]] += 1
    ok = True
    for path in acked_paths:
        acked = [l.strip() for l in open(path) if l.strip()]
        acked_set = set(acked)
        missing = sorted(acked_set - set(stored))
        duplicated = sorted(i for i in acked_set if stored[i] > 1)
        print(f"  {path.rsplit('/', 1)[-1]}: acknowledged {len(acked)} deliveries of {len(acked_set)} ids; "
              f"missing {len(missing)}; stored more than once {len(duplicated)}")
        if missing:
            print("    first missing:", missing[:10])
        if duplicated:
            print("    first duplicated:", duplicated[:10])
        if not acked:
            print("    nothing was acknowledged: this proves nothing")
        ok = ok and bool(acked) and not missing and not duplicated
    print(f"  export: {len(stored)} generic ids, {sum(stored.values())} rows")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
