{#- The column holds band names only: a band of seed health_bands (the one place the bands are
    listed); `extra_values` are also accepted (a rule's 'any'). Nulls pass (pair with not_null).
    Fails with each other value and its count of rows. -#}
{% test is_health_band(model, column_name, extra_values=[]) %}
    {{ values_outside(model, column_name, ref('health_bands'), 'band', extra_values) }}
{% endtest %}
