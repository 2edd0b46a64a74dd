{#- A value on a 0-100 scale: 0 at value_at_0, 100 at value_at_100, linear between and bounded
    outside. value_at_100 may be below value_at_0 (lower is better). Null value gives null. -#}
{% macro linear_score(value, value_at_0, value_at_100) -%}
    case
        when {{ value }} is null then null
        when {{ value_at_100 }} = {{ value_at_0 }} then
            case when {{ value }} >= {{ value_at_100 }} then 100.0 else 0.0 end
        else 100.0 * {{ least_ignore_nulls('1.0', greatest_ignore_nulls('0.0',
            'cast(' ~ value ~ ' - ' ~ value_at_0 ~ ' as ' ~ type_double() ~ ') / (' ~ value_at_100 ~ ' - ' ~ value_at_0 ~ ')'
        )) }}
    end
{%- endmacro %}


{#- The sum of a double column as a double, added up exactly: each value is taken to 9 decimals
    and summed as a decimal, so the result never depends on the order rows arrive in (a float sum
    does, in its last bits, and a rounded score could then flip between runs). 18 digits hold
    scores and weights; pass digits=38 for money. With over (a window name), the sum is a window
    aggregate: every row of the partition gets its partition's sum. -#}
{% macro exact_sum(expression, digits=18, over=none) -%}
    cast(sum(cast({{ expression }} as decimal({{ digits }}, 9))){% if over %} over {{ over }}{% endif %} as {{ type_double() }})
{%- endmacro %}


{#- The same exact sum across columns of one row: `terms` is a list of double expressions (or of
    exact_weight_type, which needs no conversion), each taken to 9 decimals (null as 0) and added
    as decimals, so a wide row adds up to exactly what
    exact_sum gives over the same values as rows. Rendered on one line, so a model lints the same
    whatever the number of terms. -#}
{% macro exact_row_sum(terms, digits=18) -%}
    {{ return(adapter.dispatch('exact_row_sum', 'customer_health')(terms, digits)) }}
{%- endmacro %}

{% macro default__exact_row_sum(terms, digits) -%}
    cast({% for term in terms %}coalesce(cast({{ term }} as decimal({{ digits }}, 9)), 0){% if not loop.last %} + {% endif %}{% endfor %} as {{ type_double() }})
{%- endmacro %}

{#- Spark: a chain of decimal additions widens by a digit a term, and past 38 digits Spark cuts
    the scale (to 6 decimals at 38 terms: the composite of 38 signals came out rounded). So the
    terms are added in turn into a sum kept at `digits` + 10 digits (as Spark's sum() keeps it),
    where each addition is exact. -#}
{% macro spark__exact_row_sum(terms, digits) -%}
    {%- set sum_type = 'decimal(' ~ ([digits + 10, 38] | min) ~ ', 9)' -%}
    cast(aggregate(array({% for term in terms %}coalesce(cast({{ term }} as decimal({{ digits }}, 9)), 0){% if not loop.last %}, {% endif %}{% endfor %}), cast(0 as {{ sum_type }}), (ers_sum, ers_term) -> cast(ers_sum + ers_term as {{ sum_type }})) as {{ type_double() }})
{%- endmacro %}

{#- The decimal type exact_row_sum adds its terms in: a column already of it (a weight converted
    once per weight set) is added without a conversion on every row. -#}
{% macro exact_weight_type() -%}
    decimal(18, 9)
{%- endmacro %}


{#- The sum of double expressions across one row (`terms`, null as 0), added left to right in
    the order given: a fixed sequence of IEEE double additions, so a row adds up to the same
    double in any run and on every engine, without the decimal casts of exact_sum (which a sum
    over rows needs, as rows arrive in any order). Rendered on one line, so a model lints the same
    whatever the number of terms. -#}
{% macro row_sum(terms) -%}
    ({% for term in terms %}coalesce(cast({{ term }} as {{ type_double() }}), 0){% if not loop.last %} + {% endif %}{% endfor %})
{%- endmacro %}
