{#- Windows as running totals (docs/incremental.md, Windows). A fact model over the spine stores
    each windowed measure's running total since the account's first day (column
    <measure>_to_date); a window's sum is that total less the one a window's length back. The
    spine has a row for every day of an account, so n rows back is n days back. -#}


{#- The model's stored rows a daily run reads for its windows: the days before `first_day` (the
    first day it rewrites) as far back as `reaches` (as for macro running_totals_back) goes.
    `condition` is appended to the filter (e.g. macro rebuilt_accounts_clause). -#}
{% macro stored_days_before(first_day, reaches, condition='') -%}
    select stored.*
    from {{ this }} as stored
    where stored.date_day >= {{ first_day }} - {{ reaches.values() | map('max') | max }}
        and stored.date_day < {{ first_day }}{{ condition }}
{%- endmacro %}


{#- Each running total some days back, for the rows of `computed` (one per account and day, with a
    column <measure>_to_date for each key of `reaches`): a column <measure>_<n>_back for each n of
    reaches[measure], null before the account's first day. On a daily run `stored` (rows of macro
    stored_days_before) holds the totals of the days before the computed ones; none on a full
    build. -#}
{% macro running_totals_back(computed, stored, reaches) -%}
    select
        totals_back.*
    from (
        select
            totals.account_id,
            totals.date_day,
            {%- for measure, days in reaches.items() %}
                {%- for n in days | unique %}
                    lag(totals.{{ measure }}_to_date, {{ n }}) over account_days as {{ measure }}_{{ n }}_back,
                {%- endfor %}
            {%- endfor %}
            totals.is_computed
        from (
            select
                {{ computed }}.account_id,
                {{ computed }}.date_day,
                {%- for measure in reaches %}
                    {{ computed }}.{{ measure }}_to_date,
                {%- endfor %}
                true as is_computed
            from {{ computed }}
            {%- if stored %}
                union all
                select
                    {{ stored }}.account_id,
                    {{ stored }}.date_day,
                    {%- for measure in reaches %}
                        {{ stored }}.{{ measure }}_to_date,
                    {%- endfor %}
                    false as is_computed
                from {{ stored }}
            {%- endif %}
        ) as totals
        window account_days as (partition by totals.account_id order by totals.date_day)
    ) as totals_back
    where totals_back.is_computed
{%- endmacro %}


{#- The sum of `measure` over the `days` days up to the row's: its running total in `relation` less
    the one `days` back (macro running_totals_back, as CTE totals_back). -#}
{% macro window_total(relation, measure, days) -%}
    {{ relation }}.{{ measure }}_to_date - coalesce(totals_back.{{ measure }}_{{ days }}_back, 0)
{%- endmacro %}
