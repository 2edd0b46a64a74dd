-- A dimension whose coverage dropped markedly (but did not collapse) against the last accepted
-- build: a warning, because the scores rest on fewer signals.
{{ config(severity='warn') }}
{{ dimension_coverage_guard(
    limit_var='guard_max_coverage_drop_warn',
    below_var='guard_max_coverage_drop_error',
    effect="Fewer of its signals have data: their weight is re-spread, so scores rest on fewer signals"
        ~ " (thinner, not yet wrong)."
) }}
