-- Clean customer contacts: one row per contact, e-mail normalised and hashed.
{{ staged_rows(ref('base_crm__contact')) }}
