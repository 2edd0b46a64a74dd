{#- Numeric functions whose signatures differ between engines. -#}

{#- `expression` as text with exactly `digits` decimals (12.5 → '12.5' with 1), for messages. -#}
{% macro format_fixed(expression, digits) %}
    {{ return(adapter.dispatch('format_fixed', 'customer_health')(expression, digits)) }}
{% endmacro %}

{% macro duckdb__format_fixed(expression, digits) -%}
    printf('%.{{ digits }}f', {{ expression }})
{%- endmacro %}

{% macro postgres__format_fixed(expression, digits) -%}
    cast(round(cast({{ expression }} as {{ dbt.type_numeric() }}), {{ digits }}) as text)
{%- endmacro %}

{#- Spark: Java's %.nf rounds the shortest decimal text of the double (82.05 -> 82.1) where DuckDB
    rounds its exact value (82.0): rounded first with round_half_away, then written. -#}
{% macro spark__format_fixed(expression, digits) -%}
    format_string('%.{{ digits }}f', {{ round_half_away(expression, digits) }})
{%- endmacro %}


{#- DuckDB's round of a double, everywhere: the double's exact binary value rounded to `digits`
    decimals half away from zero (round(2.675, 2) is 2.67: the double nearest 2.675 is a little
    less). Postgres' round(double) rounds half to even, and round(numeric, n) rounds a 15-digit
    decimal approximation, so each would publish some ties differently; the helper function
    cross_db.round_half_away (cross_db_setup) rounds the exact value. digits=none: to a whole
    number. -#}
{% macro round_half_away(expression, digits=none) %}
    {{ return(adapter.dispatch('round_half_away', 'customer_health')(expression, digits)) }}
{% endmacro %}

{% macro duckdb__round_half_away(expression, digits) -%}
    round({{ expression }}{% if digits is not none %}, {{ digits }}{% endif %})
{%- endmacro %}

{% macro postgres__round_half_away(expression, digits) -%}
    {{ cross_db_function('round_half_away') }}(cast({{ expression }} as {{ type_double() }}), {{ digits or 0 }})
{%- endmacro %}

{#- Spark's round(double, n) rounds the double's shortest decimal text (2.675 -> 2.68), not its
    exact value (DuckDB: 2.67), and Spark 3.5 has no SQL functions. So, in plain double arithmetic:
    p = |x| * 10^n rounded, and its exact rounding error e (Dekker's product: Veltkamp halves of
    |x| and of 10^n, the constant's halves worked out here in Jinja with the same doubles); the
    exact |x| * 10^n is p + e, so it rounds up when p's fraction is above one half, or exactly one
    half with e >= 0. The whole number is divided by 10^n (one correctly rounded division: the
    double nearest the decimal result). |x| * 10^n of 2^52 or more (no fraction left) is returned as
    it is. Values are bound once through one-element arrays (transform), so `expression` is
    written once. -#}
{% macro spark__round_half_away(expression, digits) -%}
    {%- set scale = 10.0 ** (digits or 0) -%}
    {%- set split = 134217729.0 * scale -%}
    {%- set scale_high = split - (split - scale) -%}
    {%- set scale_low = scale - scale_high -%}
    {%- set s = scale ~ 'D' -%}
    transform(array(cast({{ expression }} as double)), rha_x -> case
        when abs(rha_x) * {{ s }} >= 4503599627370496D then rha_x
        else transform(array(named_struct(
            'a', abs(rha_x), 'p', abs(rha_x) * {{ s }},
            'ah', 134217729D * abs(rha_x) - (134217729D * abs(rha_x) - abs(rha_x))
        )), rha_s -> transform(array(named_struct(
            'p', rha_s.p, 'q', floor(rha_s.p),
            'e', (rha_s.a - rha_s.ah) * {{ scale_low ~ 'D' }} - (((rha_s.p - rha_s.ah * {{ scale_high ~ 'D' }})
                - (rha_s.a - rha_s.ah) * {{ scale_high ~ 'D' }}) - rha_s.ah * {{ scale_low ~ 'D' }})
        )), rha_t -> (case when rha_x < 0 then -1D else 1D end) * (cast(rha_t.q + case
            when rha_t.p - rha_t.q > 0.5D or (rha_t.p - rha_t.q = 0.5D and rha_t.e >= 0D) then 1 else 0
        end as double) / {{ s }}))[0])[0]
    end)[0]
{%- endmacro %}


{#- A double as text the way DuckDB writes it: the shortest text that reads back as the same
    double, with at least one decimal (12.5, 3.0, -0.0); for labels and evidence that must read
    the same on every engine. Postgres writes whole numbers without a decimal (3, -0). -#}
{% macro double_text(expression) %}
    {{ return(adapter.dispatch('double_text', 'customer_health')(expression)) }}
{% endmacro %}

{% macro duckdb__double_text(expression) -%}
    cast({{ expression }} as varchar)
{%- endmacro %}

{% macro postgres__double_text(expression) -%}
    regexp_replace(cast(cast({{ expression }} as {{ type_double() }}) as text), '^(-?[0-9]+)$', '\1.0')
{%- endmacro %}

{#- Spark writes a double as Java does: DuckDB's text between 1e-3 and 1e7 (12.5, 3.0), E notation
    outside it (1.2345678E7); there the decimal is written out, trailing zeros cut to one. (Java 17's
    Double.toString is not always the shortest text: a few doubles get one digit more.) -#}
{% macro spark__double_text(expression) -%}
    transform(array(cast({{ expression }} as double)), dt_x -> case
        when dt_x = 0 or (abs(dt_x) >= 0.001D and abs(dt_x) < 10000000D) or isnan(dt_x) then cast(dt_x as string)
        else regexp_replace(cast(cast(dt_x as decimal(38, 18)) as string), '(\\.[0-9]*?[0-9])0+$', '$1')
    end)[0]
{%- endmacro %}


{#- A whole number from 0 to 2^40 - 1 for a text `expression`: the first 10 hex digits of its MD5,
    the same on every engine. Sums of them stand for a set (macro accounts_with_changed_history):
    40 bits leave room for 2^23 terms in a bigint, and two different sets add up to the same
    number with a chance of about 2^-40. -#}
{% macro key_hash(expression) %}
    {{ return(adapter.dispatch('key_hash', 'customer_health')(expression)) }}
{% endmacro %}

{% macro duckdb__key_hash(expression) -%}
    cast('0x' || left(md5({{ expression }}), 10) as bigint)
{%- endmacro %}

{% macro postgres__key_hash(expression) -%}
    cast(cast('x' || left(md5({{ expression }}), 10) as bit(40)) as bigint)
{%- endmacro %}

{% macro spark__key_hash(expression) -%}
    cast(conv(left(md5({{ expression }}), 10), 16, 10) as bigint)
{%- endmacro %}
