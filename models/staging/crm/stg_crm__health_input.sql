-- Clean human health ratings: one row per rating, 1 to 5.
{{ staged_rows(ref('base_crm__health_input')) }}
