"""Evaluates flags with the official Python server SDK (`flipt` on PyPI) over REST.

Usage: sdk_server_evaluation.py BASE_URL < questions.json

stdin: {"variant": [Q...], "boolean": [Q...], "batch": [Q...], "missing": Q} where Q is
{"namespace", "flag", "entity", "context"}. Prints one JSON document with the SDK's parsed
answers (camelCase, as the SDK's models dump them) and the SDK error for `missing`.
Run by tests/src/sdk_evaluation.rs.
"""

import json
import sys

from flipt import FliptClient
from flipt.evaluation import BatchEvaluationRequest, EvaluationRequest
from flipt.exceptions import FliptApiError


def request(q: dict) -> EvaluationRequest:
    return EvaluationRequest(
        namespace_key=q["namespace"],
        flag_key=q["flag"],
        entity_id=q["entity"],
        context=q["context"],
    )


def dump(model) -> dict:
    return model.model_dump(mode="json", by_alias=True)


def main() -> None:
    base_url = sys.argv[1]
    questions = json.load(sys.stdin)
    client = FliptClient(url=base_url)
    try:
        variants = [dump(client.evaluation.variant(request(q))) for q in questions["variant"]]
        booleans = [dump(client.evaluation.boolean(request(q))) for q in questions["boolean"]]
        batch = dump(
            client.evaluation.batch(
                BatchEvaluationRequest(
                    request_id="sdk-batch",
                    requests=[request(q) for q in questions["batch"]],
                )
            )
        )
        try:
            client.evaluation.variant(request(questions["missing"]))
            missing = None
        except FliptApiError as err:
            missing = {"status": err.status_code, "message": err.message}
    finally:
        client.close()
    print(json.dumps({"variant": variants, "boolean": booleans, "batch": batch, "missing": missing}))


if __name__ == "__main__":
    main()
