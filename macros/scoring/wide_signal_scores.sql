{#- Every signal's value and score on each account-day in one wide row, from the wide
    int_signals_<dimension> rows: `relations` maps each dimension of var signals to the relation
    or CTE holding its rows (one row per account-day). Per signal <signal>__value and
    <signal>__score, both null when it is missing. The query of int_account_signal_scores, and
    of the what-if's re-scored day (macro what_if_health). -#}
{% macro wide_signal_scores(relations) %}
    {%- set dimensions = var('signals').keys() | list %}
    {%- set first = dimensions[0] %}
    select
        {{ first }}.account_id,
        {{ first }}.date_day,
        {{ first }}.lifecycle_stage,
        {{ first }}.customer_tier,
        {%- for dimension, signal_names in var('signals').items() %}
            {%- set dimension_loop = loop %}
            {%- for signal_name in signal_names %}
        {{ dimension }}.{{ signal_name }}__value,
        {{ dimension }}.{{ signal_name }}__score{% if not (dimension_loop.last and loop.last) %},{% endif %}
            {%- endfor %}
        {%- endfor %}
    from {{ relations[first] }} as {{ first }}
    {%- for dimension in dimensions[1:] %}
    inner join {{ relations[dimension] }} as {{ dimension }}
        on {{ first }}.account_id = {{ dimension }}.account_id
            and {{ first }}.date_day = {{ dimension }}.date_day
    {%- endfor %}
{% endmacro %}


{#- The same rows long: one row per account-day per signal of var signals, from the wide
    int_signals_<dimension> rows (`relations` as above): the query of int_account_signals_daily.
    With `stored`, `relations` is one relation with the columns of macro wide_signal_scores (value
    and score of every signal; a missing signal has no score): int_account_signal_scores for the
    movers' few compared days, the what-if's re-scored wide rows. Score_absolute, score_peer and
    missing_reason are null then, and there is no hash column. -#}
{% macro long_signal_scores(relations, stored=false) %}
    {%- for dimension, signal_names in var('signals').items() %}
        {%- set dimension_loop = loop %}
        {%- for signal_name in signal_names %}
    select
        account_id,
        date_day,
        '{{ dimension }}' as dimension,
        '{{ signal_name }}' as signal_name,
        {{ signal_name }}__value as signal_value,
        {%- if stored %}
        cast(null as {{ type_double() }}) as score_absolute,
        cast(null as {{ type_double() }}) as score_peer,
        {{ signal_name }}__score as score,
        {{ signal_name }}__score is null as is_missing,
        cast(null as {{ type_text() }}) as missing_reason,
        {%- else %}
        {{ signal_name }}__score_absolute as score_absolute,
        {{ signal_name }}__score_peer as score_peer,
        {{ signal_name }}__score as score,
        {{ signal_name }}__missing_reason is not null as is_missing,
        {{ signal_name }}__missing_reason as missing_reason,
        {%- endif %}
        lifecycle_stage,
        customer_tier{% if not stored %},
        scoring_config_hash{% endif %}
    from {{ relations if stored else relations[dimension] }}
    {% if not (dimension_loop.last and loop.last) %}union all{% endif %}
        {%- endfor %}
    {%- endfor %}
{% endmacro %}
