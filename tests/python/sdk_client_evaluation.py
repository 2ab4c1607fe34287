"""Evaluates flags locally with Flipt's client-side SDK (`flipt-client` on PyPI), which
downloads `/internal/v1/evaluation/snapshot/namespace/{ns}` and runs Flipt's own engine.

Usage: sdk_client_evaluation.py URL NAMESPACE < questions.json

stdin: {"variant": [[flag, entity, context]...], "boolean": [[flag, entity, context]...]}.
Prints {"variant": [...], "boolean": [...], "flags": [keys of list_flags]}, each answer with
the fields the server's answer is compared on. Run by tests/src/sdk_evaluation.rs.
"""

import json
import sys
import time

from flipt_client import FliptClient
from flipt_client.errors import FliptError
from flipt_client.models import ClientOptions


def main() -> None:
    url, namespace = sys.argv[1:3]
    questions = json.load(sys.stdin)
    client = FliptClient(
        opts=ClientOptions(url=url, namespace=namespace, update_interval=1, request_timeout=10)
    )
    try:
        # The first snapshot is fetched in the background: wait until the engine has it.
        first = questions["variant"][0]
        deadline = time.monotonic() + 20
        while True:
            try:
                client.evaluate_variant(first[0], first[1], first[2])
                break
            except FliptError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

        variants = []
        for flag, entity, context in questions["variant"]:
            r = client.evaluate_variant(flag, entity, context)
            variants.append(
                {
                    "flagKey": r.flag_key,
                    "match": r.match,
                    "reason": r.reason,
                    "variantKey": r.variant_key,
                    "variantAttachment": r.variant_attachment or "",
                    "segmentKeys": r.segment_keys,
                }
            )
        booleans = []
        for flag, entity, context in questions["boolean"]:
            r = client.evaluate_boolean(flag, entity, context)
            booleans.append(
                {
                    "flagKey": r.flag_key,
                    "enabled": r.enabled,
                    "reason": r.reason,
                    "segmentKeys": r.segment_keys,
                }
            )
        flags = [f.key for f in client.list_flags()]
    finally:
        client.close()
    print(json.dumps({"variant": variants, "boolean": booleans, "flags": flags}))


if __name__ == "__main__":
    main()
