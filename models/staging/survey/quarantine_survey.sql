-- Every survey raw row that could not be used, with the table it came from and why.
{{ quarantined_rows('survey', ['response'], {'response': 'response_id'}) }}
