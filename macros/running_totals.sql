{#- Windows as running totals (docs/incremental.md, Windows). A fact model over the spine stores
    each windowed measure's running total since the account's first day (column
    <measure>_to_date); a window's sum is that total less the one a window's length back. The
    spine has a row for every day of an account, so n rows back is n days back. -#}


{#- The model's stored rows a daily run reads for its windows, before `first_day` (the first day
    it rewrites): the day before it (whose totals the running totals continue from) and, for each
    reach n (as for macro running_totals_back), the days n before the rewritten ones, up to
    `last_day` - n (last_day: the last day it computes, by default the spine's). Only those: the
    days between are not read (a year's window read a year of stored rows). `condition` is appended
    to the filter (e.g. macro rebuilt_accounts_clause). -#}
{% macro stored_days_before(first_day, reaches, condition='', last_day=none) -%}
    {%- set last_day = last_day or '(select max(spine.date_day) from ' ~ ref('int_account_days') ~ ' as spine)' -%}
    {%- set distances = window_distances(reaches) -%}
    select stored.*
    from {{ this }} as stored
    where stored.date_day >= {{ first_day }} - {{ distances | max }}
        and stored.date_day < {{ first_day }}
        and (
            stored.date_day = {{ first_day }} - 1
            {%- for n in distances %}
            or (stored.date_day >= {{ first_day }} - {{ n }} and stored.date_day <= {{ last_day }} - {{ n }})
            {%- endfor %}
        ){{ condition }}
{%- endmacro %}


{#- Each running total some days back, for the rows of `computed` (one per account and day, with a
    column <measure>_to_date for each key of `reaches`): a column <measure>_<n>_back for each n of
    reaches[measure], null before the account's first day. The spine has every day of an account,
    so n rows back among the computed rows is n days back; on a daily run a row whose day n back
    lies before the computed ones takes it from `stored` (rows of macro stored_days_before) by
    that day; none on a full build. -#}
{% macro running_totals_back(computed, stored, reaches) -%}
    {%- set distances = window_distances(reaches) -%}
    select
        {%- for measure, days in reaches.items() %}
            {%- for n in days | unique %}
                {%- set lagged = 'lag(' ~ computed ~ '.' ~ measure ~ '_to_date, ' ~ n ~ ') over account_days' %}
                {%- if stored %}
                    coalesce({{ lagged }}, back_{{ n }}.{{ measure }}_to_date) as {{ measure }}_{{ n }}_back,
                {%- else %}
                    {{ lagged }} as {{ measure }}_{{ n }}_back,
                {%- endif %}
            {%- endfor %}
        {%- endfor %}
        {{ computed }}.account_id,
        {{ computed }}.date_day
    from {{ computed }}
    {%- if stored %}
        {%- for n in distances %}
            left join {{ stored }} as back_{{ n }}
                on {{ computed }}.account_id = back_{{ n }}.account_id
                    and back_{{ n }}.date_day = {{ computed }}.date_day - {{ n }}
        {%- endfor %}
    {%- endif %}
    window account_days as (partition by {{ computed }}.account_id order by {{ computed }}.date_day)
{%- endmacro %}


{#- The distinct numbers of days back that `reaches` ({measure: [days back, ...]}) reads, in order. -#}
{% macro window_distances(reaches) -%}
    {%- set distances = [] -%}
    {%- for days in reaches.values() %}{% for n in days %}{% do distances.append(n) %}{% endfor %}{% endfor -%}
    {{ return(distances | unique | sort) }}
{%- endmacro %}


{#- The sum of `measure` over the `days` days up to the row's: its running total in `relation` less
    the one `days` back (macro running_totals_back, as CTE totals_back). -#}
{% macro window_total(relation, measure, days) -%}
    {{ relation }}.{{ measure }}_to_date - coalesce(totals_back.{{ measure }}_{{ days }}_back, 0)
{%- endmacro %}
