-- One Salesforce opportunity row as the contract's crm.opportunity. (connectors.crm = fivetran_salesforce)
{{ config(enabled=var('connectors').get('crm', 'contract') == 'fivetran_salesforce') }}
{{ fivetran_salesforce_as_contract('opportunity', [
    ('id', type_text()),
    ('account_id', type_text()),
    ('type', type_text()),
    ('stage_name', type_text()),
    ('amount', 'double'),
    ('close_date', 'date'),
    ('is_closed', 'boolean'),
    ('is_won', 'boolean'),
    ('created_date', 'timestamp'),
    ('is_deleted', 'boolean'),
]) }}
