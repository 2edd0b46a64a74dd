-- Every product raw row that could not be used, with the table it came from and why.
{{ quarantined_rows('product', ['tracks', 'groups'], {
    'tracks': 'event_id', 'groups': 'group_call_id'}) }}
