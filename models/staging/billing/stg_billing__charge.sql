-- Clean charges: one row per payment attempt; negative amounts are refunds.
{{ staged_rows(ref('base_billing__charge')) }}
