-- Clean product events: one row per event (message id), UTC, clock-skewed events removed.
{{ staged_rows(ref('base_product__tracks')) }}
