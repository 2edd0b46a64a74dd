{#- Drivers: the signals taking (down) and adding (up) the most points of an account-day's score.
    One tie rule for every reader: equal points come in signal-name order, by a rank key that
    nudges the points by the signal's place in the sorted names (far less than any real
    difference: macro signal_tie_nudge, the only place the nudge is written), up for the drivers
    down and down for the drivers up.

    Where they are computed (docs/decisions.md, 2026-12-06, "Drivers are labelled where they are
    read"):
      top_driver_down   every account-day, in the composite's wide row (macro score_health): the
                        alerts name it on the day they are raised. Macros top_driver_down_key
                        and top_driver_down below, with plain scalar functions.
      drivers_down/up   the labels, for the days they are read only (each account's latest day,
                        the what-if's day), from the long contributions of those days (macro
                        signal_driver_labels): writing the numbers of six labels as text on every
                        account-day was half the composite's time, and every weight change's.
    A label is "name value (points)": value to 2 decimals, points to 1 with its sign (+ for the
    drivers up), numbers written as DuckDB writes them (macros round_half_away, double_text). -#}

{#- Every signal of var signals, in the dimensions' order. -#}
{% macro scoring_signal_names() %}
    {%- set names = [] %}
    {%- for dimension_names in var('signals').values() %}{% do names.extend(dimension_names) %}{% endfor %}
    {{- return(names) }}
{% endmacro %}

{#- A signal's tie nudge: its place in the sorted names of var signals (1, 2, ...) times 1e-9,
    far less than any real difference of points, so a ranking never depends on row order and a
    day picks the same drivers in any run. Both rankings read it: the wide row's (macro
    top_driver_down_rank_key) and the long contributions' (macro signal_orders). -#}
{% macro signal_tie_nudge(signal_name) -%}
    {{ (scoring_signal_names() | sort).index(signal_name) + 1 }} * 1e-9
{%- endmacro %}

{#- Each signal of var signals with its tie nudge (macro signal_tie_nudge), as rows to join to
    long per-signal rows. -#}
{% macro signal_orders() %}
    {%- for signal_name in scoring_signal_names() | sort %}
    select '{{ signal_name }}' as signal_name, cast({{ signal_tie_nudge(signal_name) }} as {{ type_double() }}) as tie_nudge
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}

{#- The rank key of a signal taking points, from the wide row's <signal>__points: its points
    nudged up by its tie nudge, so the lowest key is the top driver down, the earlier name first
    on equal points. -#}
{% macro top_driver_down_rank_key(signal_name) -%}
    ({{ signal_name }}__points + {{ signal_tie_nudge(signal_name) }})
{%- endmacro %}

{#- The lowest rank key of the row's signals taking points (null when none does): column
    top_down_key, which macro top_driver_down then names. -#}
{% macro top_driver_down_key(signal_names) -%}
    {%- set keys = [] -%}
    {%- for signal_name in signal_names | sort -%}
        {%- do keys.append('case when ' ~ signal_name ~ '__points < 0 then '
            ~ top_driver_down_rank_key(signal_name) ~ ' end') -%}
    {%- endfor -%}
    {{ least_ignore_nulls(*keys) }} as top_down_key
{%- endmacro %}

{#- The name of the signal whose rank key is top_down_key (null when no signal takes points). -#}
{% macro top_driver_down(signal_names) -%}
    {{ return(adapter.dispatch('top_driver_down', 'customer_health')(signal_names)) }}
{%- endmacro %}

{#- DuckDB: the key's place in the row's list of rank keys, and the name at that place. -#}
{% macro duckdb__top_driver_down(signal_names) -%}
    {%- set keys, names = [], [] %}
    {%- for signal_name in signal_names | sort %}
        {%- do keys.append(top_driver_down_rank_key(signal_name)) %}
        {%- do names.append("'" ~ signal_name ~ "'") %}
    {%- endfor -%}
    case when top_down_key is not null
            then list_extract(list_value({{ names | join(', ') }}), list_position(list_value({{ keys | join(', ') }}), top_down_key))
    end
{%- endmacro %}

{#- Elsewhere: one `case` over the sorted names, which every engine runs. -#}
{% macro default__top_driver_down(signal_names) -%}
    case
    {%- for signal_name in signal_names | sort %} when top_down_key = {{ top_driver_down_rank_key(signal_name) }} then '{{ signal_name }}'
    {%- endfor %} end
{%- endmacro %}

{#- The labels of the drivers of each account-day in `contributions` (a relation or CTE with the
    columns of macro signal_contributions: account_id, date_day, signal_name, signal_value,
    points), up to var drivers_top_n each way: drivers_down lowest points first, drivers_up
    highest first, equal points in signal-name order (macro signal_tie_nudge). One row per
    account-day with a present signal; null where no signal qualifies. -#}
{% macro signal_driver_labels(contributions) %}
    {%- set top_n = var('drivers_top_n') %}
    select
        account_id,
        date_day,
        {%- if top_n < 1 %}
        cast(null as {{ type_text() }}) as drivers_down,
        cast(null as {{ type_text() }}) as drivers_up
        {%- else %}
        {{ top_labels('label', 'down_key', top_n, 'points < 0') }} as drivers_down,
        {{ top_labels('label', 'up_key', top_n, 'points > 0', descending=true) }} as drivers_up
        {%- endif %}
    from (
        -- Each signal taking or adding points labelled once, with its rank key each way.
        select
            contributions.account_id,
            contributions.date_day,
            contributions.points,
            contributions.signal_name || ' ' || {{ double_text(round_half_away('contributions.signal_value', 2)) }}
            || ' (' || case when contributions.points > 0 then '+' else '' end
            || {{ double_text(round_half_away('contributions.points', 1)) }} || ')' as label,
            contributions.points + signal_orders.tie_nudge as down_key,
            contributions.points - signal_orders.tie_nudge as up_key
        from {{ contributions }} as contributions
        inner join ({{ signal_orders() }}) as signal_orders
            on contributions.signal_name = signal_orders.signal_name
        where contributions.points <> 0
    ) as labelled
    group by account_id, date_day
{% endmacro %}
