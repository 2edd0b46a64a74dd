{#- The band rule, written once: a score is in the band of seed health_bands whose whole-number
    range holds the published score (one decimal) rounded half away from zero. `bands` is the
    alias of health_bands in the join. 60.44 publishes as 60.4 and is in 41-60; 60.46 publishes
    as 60.5 and is in 61-100. -#}
{% macro in_score_band(score, bands='bands') -%}
    {{ round_half_away(round_half_away(score, 1)) }} between {{ bands }}.min_score and {{ bands }}.max_score
{%- endmacro %}
