{#-
    The SQL of a guard on fct_build_dimension_coverage: one failing row (with a guard_message) per
    dimension whose coverage in the newest build fell against its baseline by more than var
    `limit_var` (and, with `below_var`, by no more than that var, so a drop is reported once, at
    its level). `effect` says what the drop does to the score.
-#}
{% macro dimension_coverage_guard(limit_var, effect, below_var=none) %}

with coverage as (
    select * from {{ ref('fct_build_dimension_coverage') }}
),

newest_build as (
    select * from coverage
    where build_id = (select newest.build_id from coverage as newest order by newest.built_at desc limit 1)
),

final as (
    select
        *,
        {{ var(limit_var) }} as max_coverage_drop,
        'dimension ' || dimension || ': coverage on the as-of date ' || cast(as_of_on as {{ type_text() }})
        || ' fell from ' || {{ guard_percent('baseline_coverage') }} || ' (' || baseline_source
        || ') to ' || {{ guard_percent('coverage') }} || ' over ' || count_accounts || ' accounts, a drop of '
        || {{ format_fixed('100.0 * coverage_drop', 1) }} || ' points, above the limit of '
        || {{ format_fixed('100.0 * ' ~ var(limit_var), 1) }} || ' points (var {{ limit_var }})'
        || coalesce('; signals missing for every account: ' || signals_missing_everywhere, '') || '. '
        || '{{ effect | replace("'", "''") }} Find the source that stopped (seed signal_thresholds names'
        || ' each signal''s source; see staging.quarantine_<source>). If the change is intended, run once'
        || ' with --vars ''{guard_coverage_accept: true}'' to make this coverage the new baseline.'
            as guard_message
    from newest_build
    where not is_accepted
        and coverage_drop > {{ var(limit_var) }}
        {%- if below_var %}
            and coverage_drop <= {{ var(below_var) }}
        {%- endif %}
)

select * from final
{% endmacro %}
