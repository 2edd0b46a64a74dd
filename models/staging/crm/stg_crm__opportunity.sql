-- Clean opportunities: one row per opportunity (new business, renewal, upsell).
{{ staged_rows(ref('base_crm__opportunity')) }}
