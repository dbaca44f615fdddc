"""Property-based tests of the service against its own OpenAPI document (schemathesis).

Every operation is exercised with schema-conforming data (must be accepted, and the answer must
match the documented schema) and schema-violating data (must be refused with a documented 4xx);
no request may produce a 5xx.
"""

from __future__ import annotations

import schemathesis

from server_fixtures import make_app

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"max-examples": 50},
        # A text past maxLength is refused with 413 (as documented), which the default list lacks.
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422"]
            }
        },
    }
)
schema = schemathesis.openapi.from_wsgi("/openapi.json", make_app(), config=CONFIG)


@schema.parametrize()
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    case.call_and_validate()
