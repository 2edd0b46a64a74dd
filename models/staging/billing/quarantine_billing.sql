-- Every billing raw row that could not be used, with the table it came from and why.
{{ quarantined_rows('billing', ['customer', 'subscription', 'invoice', 'charge'], {
    'customer': 'customer_id', 'subscription': 'subscription_id',
    'invoice': 'invoice_id', 'charge': 'charge_id'}) }}
