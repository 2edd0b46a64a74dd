-- Every CRM raw row that could not be used, with the table it came from and why.
{{ quarantined_rows('crm', ['account', 'user', 'contact', 'opportunity', 'task', 'health_input'], {
    'account': 'account_id', 'user': 'user_id', 'contact': 'contact_id',
    'opportunity': 'opportunity_id', 'task': 'task_id', 'health_input': 'health_input_id'}) }}
