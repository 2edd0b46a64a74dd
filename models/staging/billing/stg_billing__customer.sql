-- Clean billing customers: one row per customer, CRM account id read from metadata.
{{ staged_rows(ref('base_billing__customer')) }}
