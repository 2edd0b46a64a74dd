-- Every support raw row that could not be used, with the table it came from and why.
{{ quarantined_rows('support', ['organization', 'ticket'], {
    'organization': 'organization_id', 'ticket': 'ticket_id'}) }}
