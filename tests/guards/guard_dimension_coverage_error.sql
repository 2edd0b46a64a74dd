-- A dimension whose coverage collapsed against the last accepted build: an error, because its
-- weight is re-spread over the other dimensions and scores move for reasons that are not the
-- customers'.
{{ config(severity='error') }}
{{ dimension_coverage_guard(
    limit_var='guard_max_coverage_drop_error',
    effect="Its signals went missing: its weight is re-spread over the other dimensions, so scores move"
        ~ " for reasons that are not the customers' and the dimension no longer speaks."
) }}
