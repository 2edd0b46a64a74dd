-- Which warning flags does each account carry on each day? One row per account-day per flag
-- raised, by the rules of seed health_flags: a flag is raised when any of its rules holds (a
-- rule compares one signal's value, or the pseudo-signal `coverage`, with a threshold, in all
-- stages or one).
{#- The signals some rule reads, from the seed when the model is compiled to run (seeds are
    built before the models that read them): only their columns of the stored signal scores are
    read, not every signal's. Empty while parsing or on a database without the seed. -#}
{%- set signal_names = [] %}
{%- for names in var('signals').values() %}{% do signal_names.extend(names) %}{% endfor %}
{%- set rule_signals = [] %}
{%- if execute and load_relation(ref('health_flags')) is not none %}
    {%- set rule_names = run_query('select distinct signal_name from ' ~ ref('health_flags')).columns[0].values() %}
    {%- for signal_name in signal_names %}
        {%- if signal_name in rule_names %}{% do rule_signals.append(signal_name) %}{% endif %}
    {%- endfor %}
{%- endif %}
with flag_rules as (
    select * from {{ ref('health_flags') }}
),

signal_scores as (
    select * from {{ ref('int_account_signal_scores') }}
    where {{ in_run_days('date_day') }}
),

-- The present values (a missing signal has no value) of the signals some rule reads, one row per
-- account-day and signal.
signals as (
    {%- for signal_name in rule_signals %}
        select
            account_id,
            date_day,
            lifecycle_stage,
            '{{ signal_name }}' as signal_name,
            {{ signal_name }}__value as signal_value
        from signal_scores
        where {{ signal_name }}__value is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
    {%- if not rule_signals %}
        select
            account_id,
            date_day,
            lifecycle_stage,
            'none' as signal_name,
            cast(null as {{ type_double() }}) as signal_value
        from signal_scores
        where false
    {%- endif %}
),

health as (
    select * from {{ ref('int_account_health_daily') }}
    where {{ in_run_days('date_day') }}
),

values_to_check as (
    select * from signals
    union all
    select
        account_id,
        date_day,
        lifecycle_stage,
        'coverage' as signal_name,
        coverage as signal_value
    from health
),

rule_hits as (
    select
        values_to_check.account_id,
        values_to_check.date_day,
        flag_rules.flag_name,
        flag_rules.severity,
        values_to_check.signal_name,
        values_to_check.signal_value,
        flag_rules.threshold
    from values_to_check
    inner join flag_rules
        on values_to_check.signal_name = flag_rules.signal_name
            and (flag_rules.lifecycle_stage = 'all' or values_to_check.lifecycle_stage = flag_rules.lifecycle_stage)
            and case flag_rules.comparison
                when '>=' then values_to_check.signal_value >= flag_rules.threshold
                when '>' then values_to_check.signal_value > flag_rules.threshold
                when '<=' then values_to_check.signal_value <= flag_rules.threshold
                when '<' then values_to_check.signal_value < flag_rules.threshold
                when '=' then values_to_check.signal_value = flag_rules.threshold
            end
),

final as (
    select
        account_id,
        date_day,
        flag_name,
        min(severity) as severity,
        {{ ordered_string_agg(
            "signal_name || '=' || " ~ double_text(round_half_away('signal_value', 2)), "', '", 'signal_name'
        ) }} as evidence
    from rule_hits
    group by account_id, date_day, flag_name
)

select
    *,
    {{ scoring_config_hash() }} as scoring_config_hash
from final
