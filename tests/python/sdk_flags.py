"""Reads flags from a Flipt-compatible server with the official Python SDK (`flipt` on PyPI).

Usage: sdk_flags.py BASE_URL NAMESPACE FLAG_KEY

Prints one JSON document: the SDK's parsed results of list_flags (all, and a first page of
one), get_flag, and the SDK error for an unknown flag. Run by tests/src/python_sdk.rs.
"""

import json
import sys

from flipt import FliptClient
from flipt.exceptions import FliptApiError
from flipt.models import ListParameters


def main() -> None:
    base_url, namespace, flag_key = sys.argv[1:4]
    client = FliptClient(url=base_url)
    try:
        listed = client.flag.list_flags(namespace_key=namespace)
        first_page = client.flag.list_flags(
            namespace_key=namespace, params=ListParameters(limit=1)
        )
        flag = client.flag.get_flag(namespace_key=namespace, flag_key=flag_key)
        try:
            client.flag.get_flag(namespace_key=namespace, flag_key="does-not-exist")
            missing = None
        except FliptApiError as err:
            missing = {"status": err.status_code, "message": err.message}
    finally:
        client.close()

    print(
        json.dumps(
            {
                "list": listed.model_dump(mode="json", by_alias=True),
                "firstPage": first_page.model_dump(mode="json", by_alias=True),
                "get": flag.model_dump(mode="json", by_alias=True),
                "missing": missing,
            }
        )
    )


if __name__ == "__main__":
    main()
