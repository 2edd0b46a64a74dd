-- Clean support organizations: one row per organization.
{{ staged_rows(ref('base_support__organization')) }}
