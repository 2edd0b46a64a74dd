-- Clean survey responses: one row per response with a score in its survey's range.
{{ staged_rows(ref('base_survey__response')) }}
