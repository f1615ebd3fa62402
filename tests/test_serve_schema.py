"""Property-based requests from the service's own OpenAPI schema (schemathesis strategies, run
by hypothesis) against the real server: whatever is generated, valid or not, the answer is never
a 5xx, its status code and content type are ones the schema documents, its body matches the
schema, and data the schema forbids is rejected."""
from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode, checks  # noqa: E402
from serve_helpers import LiveServer  # noqa: E402

from factcheck import Checker  # noqa: E402
from factcheck.service.app import create_app  # noqa: E402
from factcheck.service.engine import Engine  # noqa: E402

CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance]
# The schema as the app generates it; rules load without the model, so collection stays fast.
SCHEMA = schemathesis.openapi.from_dict(create_app(Engine(Checker(), None)).openapi())
# An invalid body too large for --max-bytes is refused with 413 before it is parsed, and a URL too long
# for the HTTP parser with 414 (JSON, from the connection handler): rejections too.
SCHEMA.config.checks.negative_data_rejection.expected_statuses.extend(["413", "414"])
OPERATIONS = {op.ok().label: op.ok() for op in SCHEMA.get_all_operations()}
WITH_INPUT = ["GET /v1/claims/search", "POST /v1/check", "POST /v1/claims", "POST /v1/compare"]
CASES = [(label, GenerationMode.POSITIVE) for label in sorted(OPERATIONS)] + \
        [(label, GenerationMode.NEGATIVE) for label in WITH_INPUT]  # nothing to get wrong elsewhere


@pytest.fixture(scope="module")
def live(checker, tmp_path_factory):
    engine = Engine(checker, tmp_path_factory.mktemp("schema") / "claims_db", lock_timeout=5)
    with LiveServer(create_app(engine, max_bytes=256 * 1024)) as server:
        yield server

def test_every_endpoint_is_covered():
    assert set(OPERATIONS) == {"POST /v1/compare", "POST /v1/check", "POST /v1/claims", "GET /v1/claims/search",
                               "GET /v1/rules", "GET /healthz", "GET /metrics"}

@pytest.mark.parametrize("label, mode", CASES,
                         ids=[f"{label}-{mode.value}" for label, mode in CASES])
def test_openapi_properties(live, label, mode):
    extra = [checks.negative_data_rejection] if mode == GenerationMode.NEGATIVE else []
    @given(case=OPERATIONS[label].as_strategy(generation_mode=mode))
    @settings(max_examples=20, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        statuses.append(case.call_and_validate(base_url=live.url, checks=CHECKS + extra, timeout=120).status_code)
    statuses: list[int] = []
    run()
    print(label, mode.value, sorted(statuses))
    if mode == GenerationMode.POSITIVE:  # valid data reaches the pipeline, not only the validators
        assert any(200 <= s < 300 for s in statuses), statuses
