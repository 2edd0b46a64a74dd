{#- The join condition "rule `rules` holds for value row `values`" (seed health_flags' columns
    against signal_name, lifecycle_stage and signal_value): the same signal, the rule's stage or
    'all', and the rule's comparison with its threshold true. -#}
{% macro flag_rule_holds(values, rules) -%}
    {{ values }}.signal_name = {{ rules }}.signal_name
            and ({{ rules }}.lifecycle_stage = 'all' or {{ values }}.lifecycle_stage = {{ rules }}.lifecycle_stage)
            and case {{ rules }}.comparison
                when '>=' then {{ values }}.signal_value >= {{ rules }}.threshold
                when '>' then {{ values }}.signal_value > {{ rules }}.threshold
                when '<=' then {{ values }}.signal_value <= {{ rules }}.threshold
                when '<' then {{ values }}.signal_value < {{ rules }}.threshold
                when '=' then {{ values }}.signal_value = {{ rules }}.threshold
            end
{%- endmacro %}


{#- The flags of account-days: the signal rules' hits of `signal_rule_hits` (columns of
    int_account_flag_hits_daily) and the coverage rules of `rules` (seed health_flags) checked on
    the coverage of `coverage_days` (account_id, date_day, lifecycle_stage, coverage: rows of
    int_account_health_daily) give one row per account-day per flag raised: the first severity of
    its rules that hit in name order, and the values that raised it in signal-name order. Readers
    apply it to the days they read, each input filtered first (a filter over the result would
    come after every stored hit is grouped); int_account_flags_daily is it over every day. -#}
{% macro account_flags(signal_rule_hits, coverage_days, rules) -%}
    select
        rule_hits.account_id,
        rule_hits.date_day,
        rule_hits.flag_name,
        min(rule_hits.severity) as severity,
        {{ ordered_string_agg(
            "rule_hits.signal_name || '=' || " ~ double_text(round_half_away('rule_hits.signal_value', 2)),
            "', '", 'rule_hits.signal_name'
        ) }} as evidence
    from (
        {{ flag_rule_rows(signal_rule_hits, coverage_days, rules) | indent(8) }}
    ) as rule_hits
    group by rule_hits.account_id, rule_hits.date_day, rule_hits.flag_name
{%- endmacro %}


{#- The rows that raise flags on account-days, one per rule hit: the signal rules' hits of
    `signal_rule_hits` (stored, int_account_flag_hits_daily) and the coverage rules of `rules`
    checked on the coverage of `coverage_days`. Columns account_id, date_day, flag_name,
    severity, signal_name, signal_value. Macro account_flags groups them per flag; the history
    mart per account-day (by the bits of macro flag_bits). -#}
{% macro flag_rule_rows(signal_rule_hits, coverage_days, rules) -%}
    select
        hits.account_id,
        hits.date_day,
        hits.flag_name,
        hits.severity,
        hits.signal_name,
        hits.signal_value
    from {{ signal_rule_hits }} as hits
    union all
    select
        coverage.account_id,
        coverage.date_day,
        rules.flag_name,
        rules.severity,
        coverage.signal_name,
        coverage.signal_value
    from (
        select
            coverage_days.account_id,
            coverage_days.date_day,
            coverage_days.lifecycle_stage,
            'coverage' as signal_name,
            coverage_days.coverage as signal_value
        from {{ coverage_days }} as coverage_days
    ) as coverage
    inner join {{ rules }} as rules
        on {{ flag_rule_holds('coverage', 'rules') }}
{%- endmacro %}


{#- One bit per flag name of `rules` (seed health_flags), in name order: 1, 2, 4, ... A bigint
    holds 62 names (the seed's test `health_flags_fit_in_a_bigint` says so when it has more). -#}
{% macro flag_bits(rules) -%}
    select
        flag_name,
        cast(power(2, row_number() over (order by flag_name) - 1) as bigint) as flag_bit
    from (select distinct flag_name from {{ rules }}) as flag_names
{%- endmacro %}
