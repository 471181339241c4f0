"""The read API under schemathesis: cases drawn from the OpenAPI description the live site
serves (/api/v1/openapi.json), valid and invalid, sent over HTTP to that site with the seed
loaded. No answer may be a server error, and every answer must be one the description
documents, in status, content type, headers and body.

Each operation gets a bounded number of cases, so the whole run stays under a minute; set
HYPOTHESIS_PROFILE=thorough (tests/conftest.py) for a long hunt.
"""

import hypothesis
import schemathesis
from hypothesis import Phase, given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bibliography.models import Author, Award, Paper, Topic, Venue

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Cases per operation (11 operations); the thorough profile's count when it is larger.
CASES = max(20, hypothesis.settings().max_examples // 10)
# The seed's slugs of each kind, so that the detail operations answer real objects too.
SLUGS = {
    "/api/v1/papers/{slug}/": Paper,
    "/api/v1/authors/{slug}/": Author,
    "/api/v1/venues/{slug}/": Venue,
    "/api/v1/awards/{slug}/": Award,
    "/api/v1/topics/{slug}/": Topic,
}


def test_the_api_answers_its_description_under_fuzzing(
    live_server, transactional_db, seed, settings
):
    settings.API_RATE_LIMIT = "off"
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11

    for operation in operations:
        strategies = [
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        ]
        if operation.path in SLUGS:
            model = SLUGS[operation.path]
            slugs = list(model.objects.values_list("slug", flat=True)) or ["none"]
            strategies.append(
                st.sampled_from(slugs).flatmap(
                    lambda slug, operation=operation: operation.as_strategy(
                        path_parameters={"slug": slug}
                    )
                )
            )
        cases = st.one_of(strategies)

        @given(cases)
        @hypothesis.settings(
            max_examples=CASES,
            database=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
        )
        def answers_as_described(case):
            case.call_and_validate(checks=CHECKS)

        answers_as_described()
