-- Clean CRM accounts: one row per account, newest copy, not deleted (test accounts flagged, not dropped).
{{ staged_rows(ref('base_crm__account')) }}
