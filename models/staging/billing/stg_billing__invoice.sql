-- Clean invoices: one row per invoice in its newest state, amounts in currency units.
{{ staged_rows(ref('base_billing__invoice')) }}
