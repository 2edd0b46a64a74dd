-- Clean subscriptions: one row per subscription in its newest state, amounts in currency units.
{{ staged_rows(ref('base_billing__subscription')) }}
