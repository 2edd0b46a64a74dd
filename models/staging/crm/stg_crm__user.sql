-- Clean internal CRM users (CSMs, support, executives): one row per user.
{{ staged_rows(ref('base_crm__user')) }}
