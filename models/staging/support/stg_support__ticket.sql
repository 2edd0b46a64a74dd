-- Clean support tickets: one row per ticket in its newest state, UTC timestamps.
{{ staged_rows(ref('base_support__ticket')) }}
