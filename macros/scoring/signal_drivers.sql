{#- The drivers of an account-day, from its wide row (columns <signal>__points and <signal>__value
    of macro score_health's CTE `pointed`), in three steps written with plain scalar functions, so
    every engine runs the same SQL and no row builds, sorts or cuts a list:
      signal_driver_keys(signal_names, level)  the rank keys of one level, a column pair:
          down_key_<level>  the level-th lowest rank key of a signal taking points (< 0)
          up_key_<level>    the level-th highest rank key of a signal adding points (> 0)
        level 1 reads `pointed`, level L the columns of level L - 1 (score_health stacks one CTE
        per level, up to var drivers_top_n);
      signal_driver_positions(signal_names, levels)  which signal each key is, once per driver
        (its place in the sorted names: a label then picks by that place, not by the key again;
        at 20,000 accounts the composite's query 33.5 → 31.0 s);
      signal_drivers(signal_names, direction, n)  the drivers from those places:
          direction 'down'      the `n` signals taking the most points, lowest first
          direction 'up'        the `n` signals adding the most points, highest first
          direction 'top_down'  the name of the signal taking the most points
    A rank key is the signal's points nudged by its position in the sorted signal names (far less
    than any real difference, as macro signal_orders): up for the drivers down, down for the
    drivers up, so equal points come in name order in both lists. Every key of a row differs and
    finds its signal again by equality: a day picks the same drivers in any run and on any engine.
    A label is "name value (points)": value to 2 decimals, points to 1 with its sign (+ for the
    drivers up), numbers written as DuckDB writes them (macros round_half_away, double_text).
    Null when no signal qualifies. -#}
{% macro signal_driver_rank_key(signal_names, signal_name, direction) -%}
    ({{ signal_name }}__points {{ '+' if direction == 'down' else '-' }} {{ (signal_names | sort).index(signal_name) + 1 }} * 1e-9)
{%- endmacro %}

{% macro signal_driver_keys(signal_names, level) -%}
    {%- set down, up = [], [] -%}
    {%- for signal_name in signal_names | sort -%}
        {%- set down_key = signal_driver_rank_key(signal_names, signal_name, 'down') -%}
        {%- set up_key = signal_driver_rank_key(signal_names, signal_name, 'up') -%}
        {%- set after_down = '' if level == 1 else ' and ' ~ down_key ~ ' > down_key_' ~ (level - 1) -%}
        {%- set after_up = '' if level == 1 else ' and ' ~ up_key ~ ' < up_key_' ~ (level - 1) -%}
        {%- do down.append('case when ' ~ signal_name ~ '__points < 0' ~ after_down ~ ' then ' ~ down_key ~ ' end') -%}
        {%- do up.append('case when ' ~ signal_name ~ '__points > 0' ~ after_up ~ ' then ' ~ up_key ~ ' end') -%}
    {%- endfor -%}
    {{ least_ignore_nulls(*down) }} as down_key_{{ level }},
    {{ greatest_ignore_nulls(*up) }} as up_key_{{ level }}
{%- endmacro %}

{% macro signal_drivers(signal_names, direction, n) -%}
    {%- if direction not in ['down', 'up', 'top_down'] -%}
        {{ exceptions.raise_compiler_error("signal_drivers: direction must be down, up or top_down, got " ~ direction) }}
    {%- endif -%}
    {%- if direction == 'top_down' -%}
    {{ signal_driver_field(signal_names, 'down', 1, 'name') }}
    {%- elif n < 1 -%}
    cast(null as {{ type_text() }})
    {%- else -%}
        {%- set labels = [] -%}
        {%- for level in range(1, n + 1) -%}
            {%- do labels.append(signal_driver_field(signal_names, direction, level, 'name') ~ " || ' ' || "
                ~ double_text(round_half_away(signal_driver_field(signal_names, direction, level, 'value'), 2))
                ~ " || ' (" ~ ('+' if direction == 'up' else '') ~ "' || "
                ~ double_text(round_half_away(signal_driver_field(signal_names, direction, level, 'points'), 1)) ~ " || ')'") -%}
        {%- endfor -%}
    nullif(concat_ws('; ', {{ labels | join(', ') }}), '')
    {%- endif -%}
{%- endmacro %}

{#- Which signal each driver is, once per driver: for every level up to `levels` and each
    direction, the place in the sorted signal names (1, 2, ...) of the signal whose rank key is
    that level's key, as down_signal_<level> and up_signal_<level> (null when the key is). The
    labels then pick name, value and points by that place, with no second search of the keys. -#}
{% macro signal_driver_positions(signal_names, levels) -%}
    {{ return(adapter.dispatch('signal_driver_positions', 'customer_health')(signal_names, levels)) }}
{%- endmacro %}

{#- DuckDB: the place of the key in the row's list of rank keys (a null key has none: DuckDB's
    list_position would find a null element), and the field by that place in a list; at 20,000
    accounts the composite's query 55.4 → 53.0 s (two runs each, same rows). Elsewhere one
    `case` per driver over the sorted names, which every engine runs. -#}
{% macro duckdb__signal_driver_positions(signal_names, levels) -%}
    {%- for level in range(1, levels + 1) %}
        {%- set level_loop = loop %}
        {%- for direction in ['down', 'up'] %}
            {%- set keys = [] %}
            {%- for signal_name in signal_names | sort %}{% do keys.append(signal_driver_rank_key(signal_names, signal_name, direction)) %}{% endfor %}
    case when {{ direction }}_key_{{ level }} is not null then list_position(list_value({{ keys | join(', ') }}), {{ direction }}_key_{{ level }}) end as {{ direction }}_signal_{{ level }}{% if not (level_loop.last and loop.last) %},{% endif %}
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}

{% macro default__signal_driver_positions(signal_names, levels) -%}
    {%- for level in range(1, levels + 1) %}
        {%- set level_loop = loop %}
        {%- for direction in ['down', 'up'] %}
    case
            {%- for signal_name in signal_names | sort %} when {{ direction }}_key_{{ level }} = {{ signal_driver_rank_key(signal_names, signal_name, direction) }} then {{ loop.index }}
            {%- endfor %} end as {{ direction }}_signal_{{ level }}{% if not (level_loop.last and loop.last) %},{% endif %}
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}

{#- The name, value or points of the driver `direction` ('down' or 'up') at `level`: the signal
    at place {direction}_signal_{level} (macro signal_driver_positions; null when that is). -#}
{% macro signal_driver_field(signal_names, direction, level, field) -%}
    {{ return(adapter.dispatch('signal_driver_field', 'customer_health')(signal_names, direction, level, field)) }}
{%- endmacro %}

{% macro duckdb__signal_driver_field(signal_names, direction, level, field) -%}
    {%- set items = [] %}
    {%- for signal_name in signal_names | sort %}
        {%- do items.append("'" ~ signal_name ~ "'" if field == 'name' else signal_name ~ '__' ~ field) %}
    {%- endfor -%}
    list_extract(list_value({{ items | join(', ') }}), {{ direction }}_signal_{{ level }})
{%- endmacro %}

{% macro default__signal_driver_field(signal_names, direction, level, field) -%}
    case {{ direction }}_signal_{{ level }}
    {%- for signal_name in signal_names | sort %} when {{ loop.index }} then
        {%- if field == 'name' %} '{{ signal_name }}'{% else %} {{ signal_name }}__{{ field }}{% endif %}
    {%- endfor %} end
{%- endmacro %}
