{#- The bin of a 0-100 score for churn calibration: 0 for [0, width), 1 for [width, 2 × width), …,
    with 100 in the top bin (var churn_probability_bin_width). One definition for fitting the bins
    and for looking a score up in them. -#}
{% macro score_bin(score) -%}
    cast({{ least_ignore_nulls(
        'floor(' ~ score ~ ' / ' ~ var('churn_probability_bin_width') ~ ')',
        'ceil(100.0 / ' ~ var('churn_probability_bin_width') ~ ') - 1'
    ) }} as integer)
{%- endmacro %}
