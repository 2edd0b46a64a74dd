-- Clean CSM activities: one row per task (call, e-mail, meeting, QBR).
{{ staged_rows(ref('base_crm__task')) }}
