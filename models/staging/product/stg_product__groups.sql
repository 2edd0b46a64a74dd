-- Clean user-to-account group calls: one row per group call.
{{ staged_rows(ref('base_product__groups')) }}
